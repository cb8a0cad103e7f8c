package io.sparklstm.io;

import io.sparklstm.train.RoundRecord;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML report of a training run: the loss per round, the held-out metric per
 * epoch as inline SVG charts, and where the time went (task compute, broadcast, aggregation).
 * Cells that hold timings have class {@code t}: without them, the report of a run depends only
 * on its configuration and data (a resumed run's equals an undisturbed one's).
 */
public final class Report {
  private Report() {}

  /** One epoch's held-out figures: a name (e.g. "bits per token") and its value. */
  public record EpochPoint(int epoch, String metric, double value) {}

  public static String html(String title, Map<String, String> config, List<RoundRecord> rounds,
      List<EpochPoint> epochs) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
        .append(escape(title)).append("</title><style>body{font-family:sans-serif;margin:2em;"
            + "max-width:60em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
            + "padding:2px 8px;text-align:right}svg{background:#fafafa;border:1px solid #ddd}"
            + "</style></head><body>");
    h.append("<h1>").append(escape(title)).append("</h1>");
    double[] loss = rounds.stream().mapToDouble(RoundRecord::loss).toArray();
    h.append("<h2>Training loss per round</h2>").append(chart(loss, "loss (nats)"));
    if (!epochs.isEmpty()) {
      double[] v = epochs.stream().mapToDouble(EpochPoint::value).toArray();
      String metric = epochs.get(0).metric();
      h.append("<h2>Held-out ").append(escape(metric)).append(" per epoch</h2>")
          .append(chart(v, metric));
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
        .append("</th><td style=\"text-align:left\">").append(escape(v)).append("</td></tr>"));
    h.append("</table></body></html>\n");
    return h.toString();
  }

  private static void row(StringBuilder h, String name, double s, double wall) {
    h.append(String.format(Locale.ROOT, "<tr><td style=\"text-align:left\">%s</td>"
        + "<td class=\"t\">%.2f</td><td class=\"t\">%.1f%%</td></tr>", name, s,
        wall > 0 ? 100 * s / wall : 0));
  }

  /** A polyline chart of {@code ys} against their index, with min and max labelled. */
  static String chart(double[] ys, String label) {
    int w = 640;
    int ht = 240;
    int pad = 40;
    if (ys.length == 0) {
      return "<p>(no data)</p>";
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double y : ys) {
      if (Double.isFinite(y)) {
        lo = Math.min(lo, y);
        hi = Math.max(hi, y);
      }
    }
    if (!(hi > lo)) {
      hi = lo + 1;
    }
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < ys.length; i++) {
      double x = pad + (ys.length == 1 ? 0 : (double) i / (ys.length - 1)) * (w - 2 * pad);
      double y = ht - pad - (ys[i] - lo) / (hi - lo) * (ht - 2 * pad);
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    return String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" role=\"img\" "
            + "aria-label=\"%s\"><polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" "
            + "points=\"%s\"/><text x=\"4\" y=\"%d\" font-size=\"12\">%.4g</text>"
            + "<text x=\"4\" y=\"%d\" font-size=\"12\">%.4g</text><text x=\"%d\" y=\"%d\" "
            + "font-size=\"12\">%s</text></svg>", w, ht, escape(label), points, pad, hi,
        ht - pad, lo, w / 2 - 40, ht - 8, escape(label));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
