package io.sparklstm.io;

import io.sparklstm.train.RoundRecord;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML report of a training run: inline SVG charts of the loss (training per
 * round, held-out per epoch) and of the held-out metric per epoch against the training rounds'
 * (with the best epoch ringed), and where the time went (task compute, broadcast, aggregation).
 * Cells that hold timings have class {@code t}: without them, the report of a run depends only
 * on its configuration and data (a resumed run's equals an undisturbed one's).
 */
public final class Report {
  private static final String TRAINING = "#1f77b4";
  private static final String HELD_OUT = "#ff7f0e";

  private Report() {}

  /**
   * One epoch's held-out figures: a metric's name (e.g. "bits per token"), value and loss, and
   * a tagger's precision, recall and F1 per tag (rows of a tag and three numbers; else null).
   */
  public record EpochPoint(int epoch, String metric, double value, double loss,
      List<PerTag> tags) {
    public EpochPoint(int epoch, String metric, double value, double loss) {
      this(epoch, metric, value, loss, null);
    }
  }

  /** A tag's held-out precision, recall and F1. */
  public record PerTag(String tag, double precision, double recall, double f1) {}

  /**
   * The evaluation whose model the run keeps (train.best.model), by the position training
   * stood at after it (round 0: the end of {@code epoch}), and in words why.
   */
  public record Kept(int epoch, int round, String why) {}

  /** The report of a run that keeps its last model, or whose held-out figures chose none. */
  public static String html(String title, Map<String, String> config, int partitions,
      List<RoundRecord> rounds, List<EpochPoint> epochs) {
    return html(title, config, partitions, rounds, epochs, null);
  }

  /**
   * The report of a run on {@code partitions} partitions (the count used, also where the
   * configuration says 0; the caller marks it in {@code config}); {@code kept}, if not null, is
   * ringed instead of the epoch of the best metric.
   */
  public static String html(String title, Map<String, String> config, int partitions,
      List<RoundRecord> rounds, List<EpochPoint> epochs, Kept kept) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
        .append(escape(title)).append("</title><style>body{font-family:sans-serif;margin:2em;"
            + "max-width:60em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
            + "padding:2px 8px;text-align:right}svg{background:#fafafa;border:1px solid #ddd}"
            + "</style></head><body>");
    h.append("<h1>").append(escape(title)).append("</h1>");
    h.append(String.format(Locale.ROOT, "<p>%s, %s, %s.</p>", count(rounds.size(), "round"),
        count(epochs.size(), "held-out evaluation"), count(partitions, "partition")));
    h.append("<h2>Loss</h2>").append(lossChart(rounds, epochs));
    if (!epochs.isEmpty()) {
      String metric = epochs.get(0).metric();
      EpochPoint best = best(epochs);
      h.append("<h2>").append(escape(metric.substring(0, 1).toUpperCase(Locale.ROOT)
          + metric.substring(1))).append("</h2>").append(String.format(Locale.ROOT,
          "<p>Best held-out %s: %.4f, epoch %d.</p>", escape(metric), best.value(),
          best.epoch()));
      String label = "best";
      if (kept != null) {
        h.append("<p>").append(escape(kept.why())).append(".</p>");
        EpochPoint k = epochs.stream().filter(e -> kept.round() == 0
            && e.epoch() == kept.epoch()).findFirst().orElse(null);
        best = k; // an evaluation inside an epoch has no point on this chart: no ring
        label = "kept";
      }
      h.append(metricChart(rounds, epochs, best, label));
      EpochPoint last = epochs.get(epochs.size() - 1);
      if (last.tags() != null) {
        h.append(String.format(Locale.ROOT, "<h2>Per tag, epoch %d</h2><table><tr><th>tag</th>"
            + "<th>precision</th><th>recall</th><th>F1</th></tr>", last.epoch()));
        for (PerTag t : last.tags()) {
          h.append(String.format(Locale.ROOT, "<tr><td style=\"text-align:left\">%s</td>"
              + "<td>%.4f</td><td>%.4f</td><td>%.4f</td></tr>", escape(t.tag()), t.precision(),
              t.recall(), t.f1()));
        }
        h.append("</table>");
      }
    }
    double compute = 0;
    double broadcast = 0;
    double aggregate = 0;
    double wall = 0;
    for (RoundRecord r : rounds) {
      compute += r.computeSeconds();
      broadcast += r.broadcastSeconds();
      aggregate += r.aggregateSeconds();
      wall += r.wallSeconds();
    }
    h.append("<h2>Where the time went</h2><table><tr><th>part</th><th>seconds</th>"
        + "<th>share</th></tr>");
    row(h, "task compute (slowest task)", compute, wall);
    row(h, "broadcast", broadcast, wall);
    row(h, "aggregate, average, scheduling", aggregate, wall);
    row(h, "all rounds", wall, wall);
    h.append("</table><h2>Rounds</h2><table><tr><th>epoch</th><th>round</th><th>examples</th>"
        + "<th>loss</th><th>accuracy</th><th>per second</th></tr>");
    for (RoundRecord r : rounds) {
      h.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%d/%d</td><td>%d</td><td>%.4f</td>"
              + "<td>%.4f</td><td class=\"t\">%.0f</td></tr>", r.epoch() + 1, r.round() + 1,
          r.rounds(), r.examples(), r.loss(), r.accuracy(), r.examplesPerSecond()));
    }
    h.append("</table><h2>Configuration</h2><table>");
    config.forEach((k, v) -> h.append("<tr><th style=\"text-align:left\">").append(escape(k))
        .append("</th><td style=\"text-align:left\">").append(escape(v))
        .append("</td></tr>"));
    h.append("</table></body></html>\n");
    return h.toString();
  }

  private static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  private static void row(StringBuilder h, String name, double s, double wall) {
    h.append(String.format(Locale.ROOT, "<tr><td style=\"text-align:left\">%s</td>"
        + "<td class=\"t\">%.2f</td><td class=\"t\">%.1f%%</td></tr>", name, s,
        wall > 0 ? 100 * s / wall : 0));
  }

  /** The epoch with the best held-out value: the highest accuracy or F1, else the lowest. */
  static EpochPoint best(List<EpochPoint> epochs) {
    boolean higher = List.of("accuracy", "macro F1").contains(epochs.get(0).metric());
    EpochPoint best = epochs.get(0);
    for (EpochPoint e : epochs) {
      if (higher ? e.value() > best.value() : e.value() < best.value()) {
        best = e;
      }
    }
    return best;
  }

  /** Where round r of epoch e ends, in epochs: e + (r + 1) / rounds. */
  private static double[] positions(List<RoundRecord> rounds) {
    return rounds.stream().mapToDouble(r -> r.epoch() + (r.round() + 1.0) / r.rounds())
        .toArray();
  }

  private static double[] epochNumbers(List<EpochPoint> epochs) {
    return epochs.stream().mapToDouble(EpochPoint::epoch).toArray();
  }

  /** Training loss per round and held-out loss per epoch. */
  private static String lossChart(List<RoundRecord> rounds, List<EpochPoint> epochs) {
    if (rounds.isEmpty()) {
      return "<p>(no rounds yet)</p>";
    }
    Chart c = new Chart("epoch", "loss (nats)").add(new Chart.Series("training, per round",
        TRAINING, positions(rounds), rounds.stream().mapToDouble(RoundRecord::loss).toArray(),
        false));
    if (!epochs.isEmpty()) {
      c.add(new Chart.Series("held-out, per epoch", HELD_OUT, epochNumbers(epochs),
          epochs.stream().mapToDouble(EpochPoint::loss).toArray(), true));
    }
    return c.svg();
  }

  /**
   * The held-out metric per epoch with {@code ringed} (if any) ringed, and the same measure on the
   * training rounds: their accuracy, or their loss in bits.
   */
  private static String metricChart(List<RoundRecord> rounds, List<EpochPoint> epochs,
      EpochPoint ringed, String label) {
    String metric = epochs.get(0).metric();
    boolean accuracy = metric.equals("accuracy");
    Chart c = new Chart("epoch", metric);
    if (accuracy || metric.equals("bits per token")) {
      c.add(new Chart.Series("training, per round", TRAINING, positions(rounds), rounds.stream()
          .mapToDouble(r -> accuracy ? r.accuracy() : r.loss() / Math.log(2)).toArray(),
          false));
    }
    c.add(new Chart.Series("held-out, per epoch", HELD_OUT, epochNumbers(epochs),
        epochs.stream().mapToDouble(EpochPoint::value).toArray(), true));
    if (ringed != null) {
      c.mark(ringed.epoch(), ringed.value(), String.format(Locale.ROOT, "%s: epoch %d, %.4f",
          label, ringed.epoch(), ringed.value()));
    }
    return c.svg();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
