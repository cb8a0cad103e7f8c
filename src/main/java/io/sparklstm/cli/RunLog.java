package io.sparklstm.cli;

import static io.sparklstm.ml.param.AveragingParams.NUM_PARTITIONS;
import static io.sparklstm.ml.param.SelectionParams.BEST_MODEL;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparklstm.io.HadoopFiles;
import io.sparklstm.io.Report;
import io.sparklstm.train.Decimals;
import io.sparklstm.train.HeldOut;
import io.sparklstm.train.RoundRecord;
import io.sparklstm.train.Selection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A run's log: {@code metrics.jsonl} (a JSON line per round and per held-out evaluation), the
 * {@code report.html} drawn from it, and the console's progress lines. Checkpoints carry the
 * lines up to their position and a resumed run starts from those, so after any kills and
 * resumes the log equals an undisturbed run's line for line, but for the fields that measure
 * time or memory (examplesPerSecond, the four *Seconds, executorRssMiB).
 */
final class RunLog {
  /** Numbers as they are written: BigDecimals in plain notation, never 1E-7. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

  /** A line of a round (the field order is the file's). */
  record RoundLine(String type, int epoch, int round, int rounds, long examples,
      BigDecimal loss, BigDecimal accuracy, BigDecimal examplesPerSecond,
      BigDecimal computeSeconds, BigDecimal broadcastSeconds, BigDecimal aggregateSeconds,
      BigDecimal wallSeconds, long executorRssMiB) {}

  /** A line of an epoch's held-out evaluation; a tagger's adds its figures per tag. */
  record EpochLine(String type, int epoch, BigDecimal validationLoss,
      BigDecimal validationAccuracy, String metric, BigDecimal value,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<HeldOut.Classes.PerClass> tags) {}

  /** A line of a held-out evaluation inside an epoch (train.eval.every.rounds). */
  record EvaluationLine(String type, int epoch, int round, int rounds,
      BigDecimal validationLoss, BigDecimal validationAccuracy, String metric,
      BigDecimal value) {}

  /**
   * A line of what an evaluation decided (train.best.model, early stopping, reduce-on-plateau):
   * the judged figure, the best evaluation so far (the position after it: round 0 is the end of
   * bestEpoch), the evaluations since, the learning rate's factor, whether the run stops, why.
   */
  record SelectionLine(String type, String monitor, BigDecimal value, int bestEpoch,
      int bestRound, BigDecimal best, int sinceBest, double learningRateScale, boolean stop,
      String why) {}

  private final String dir;
  private final Configuration conf;
  private final int partitions;
  private final List<String> lines = new ArrayList<>();
  /** The lines read back: the report is drawn from what the log says, nothing else. */
  private final List<RoundRecord> rounds = new ArrayList<>();
  private final List<Report.EpochPoint> epochs = new ArrayList<>();
  private Report.Kept kept;
  private int roundsHere;

  /**
   * The log of the run in {@code dir} on {@code partitions} partitions, continuing {@code lines}
   * (a checkpoint's).
   */
  RunLog(String dir, Configuration conf, List<String> lines, int partitions) {
    this.dir = dir;
    this.conf = conf;
    this.partitions = partitions;
    lines.forEach(this::add);
  }

  /** The lines so far (what a checkpoint stores). */
  List<String> lines() {
    return List.copyOf(lines);
  }

  /** Rounds the run has trained so far. */
  long rounds() {
    return rounds.size();
  }

  /** The rounds' wall time so far, in seconds. */
  double wallSeconds() {
    return rounds.stream().mapToDouble(RoundRecord::wallSeconds).sum();
  }

  void round(RoundRecord r, long beganNanos, int epochs) {
    roundsHere++;
    double done = (r.epoch() * (double) r.rounds() + r.round() + 1)
        / (epochs * (double) r.rounds());
    double elapsed = (System.nanoTime() - beganNanos) / 1e9;
    double eta = elapsed / roundsHere * Math.max(0, (1 - done) * epochs * r.rounds());
    System.out.printf(Locale.ROOT, "[epoch %d/%d %5.1f%% ETA %s] round %d/%d  loss %.4f  acc "
            + "%.4f  %,.0f/s  (compute %.2fs, broadcast %.3fs, aggregate %.3fs)%n",
        r.epoch() + 1, epochs, 100 * done, duration(eta), r.round() + 1, r.rounds(), r.loss(),
        r.accuracy(), r.examplesPerSecond(), r.computeSeconds(), r.broadcastSeconds(),
        r.aggregateSeconds());
    add(new RoundLine("round", r.epoch() + 1, r.round() + 1, r.rounds(), r.examples(),
        Decimals.of(r.loss(), 6), Decimals.of(r.accuracy(), 6),
        Decimals.of(r.examplesPerSecond(), 1), seconds(r.computeSeconds()),
        seconds(r.broadcastSeconds()), seconds(r.aggregateSeconds()), seconds(r.wallSeconds()),
        r.executorResidentBytes() >> 20));
  }

  /** An epoch's held-out figures; {@code tags}: a tagger's per tag, else null. */
  void epoch(int epoch, String metric, double value, double loss, double accuracy,
      List<HeldOut.Classes.PerClass> tags) {
    print("epoch " + (epoch + 1), metric, value, loss, accuracy);
    add(new EpochLine("epoch", epoch + 1, Decimals.of(loss, 6), Decimals.of(accuracy, 6), metric,
        Decimals.of(value, 6), tags));
  }

  /** A held-out evaluation after round {@code r}, inside its epoch (train.eval.every.rounds). */
  void evaluation(RoundRecord r, String metric, double value, double loss, double accuracy) {
    print("epoch " + (r.epoch() + 1) + ", round " + (r.round() + 1) + "/" + r.rounds(), metric,
        value, loss, accuracy);
    add(new EvaluationLine("evaluation", r.epoch() + 1, r.round() + 1, r.rounds(),
        Decimals.of(loss, 6), Decimals.of(accuracy, 6), metric, Decimals.of(value, 6)));
  }

  private static void print(String where, String metric, double value, double loss,
      double accuracy) {
    System.out.printf(Locale.ROOT, "%s held-out: loss %.4f, %s %.4f%s%n", where, loss, metric,
        value, metric.equals("accuracy") ? ""
            : String.format(Locale.ROOT, ", accuracy %.4f", accuracy));
  }

  /** What the last evaluation decided ({@link HeldOutChoices}). */
  void selection(String monitor, double value, Selection s, String why) {
    System.out.printf(Locale.ROOT, "  held-out %s %.4f: %s%n", monitor, value, why);
    add(new SelectionLine("selection", monitor, Decimals.of(value, 6), s.bestEpoch(),
        s.bestRound(), Decimals.of(s.best(), 6), s.sinceBest(), s.rateScale(), s.stop(), why));
  }

  /** Writes metrics.jsonl and report.html as the log stands. */
  void flush(Map<String, String> config) throws IOException {
    HadoopFiles.writeAtomically(dir + "/metrics.jsonl",
        (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), conf);
    HadoopFiles.writeAtomically(dir + "/report.html",
        Report.html("spark-lstm training run", shown(config), partitions, rounds, epochs,
            kept == null ? null : new Report.Kept(kept.epoch(), kept.round(),
                ("true".equals(config.get(BEST_MODEL.confKey())) ? "The run's model is the best "
                    + "held-out evaluation's: " : "The best held-out evaluation (the run keeps "
                    + "its last model): ") + kept.why()))
            .getBytes(StandardCharsets.UTF_8), conf);
  }

  /** The configuration as the report shows it: spark.partitions with the count actually used. */
  private Map<String, String> shown(Map<String, String> config) {
    Map<String, String> shown = new LinkedHashMap<>(config);
    shown.computeIfPresent(NUM_PARTITIONS.confKey(), (k, v) ->
        v.equals(String.valueOf(partitions)) ? v : v + " (" + partitions + " used)");
    return shown;
  }

  private void add(Record line) {
    try {
      add(JSON.writeValueAsString(line));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void add(String line) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException("a run log line that is not JSON: " + line, e);
    }
    lines.add(line);
    if (n.path("type").asText().equals("round")) {
      rounds.add(new RoundRecord(n.get("epoch").asInt() - 1, n.get("round").asInt() - 1,
          n.get("rounds").asInt(), n.get("examples").asLong(), number(n, "loss"),
          number(n, "accuracy"), number(n, "examplesPerSecond"), number(n, "computeSeconds"),
          number(n, "broadcastSeconds"), number(n, "aggregateSeconds"),
          number(n, "wallSeconds"), n.get("executorRssMiB").asLong() << 20));
    } else if (n.path("type").asText().equals("epoch")) {
      List<Report.PerTag> tags = null;
      if (n.has("tags")) {
        tags = new ArrayList<>();
        for (JsonNode t : n.get("tags")) {
          tags.add(new Report.PerTag(t.get("name").asText(), number(t, "precision"),
              number(t, "recall"), number(t, "f1")));
        }
      }
      epochs.add(new Report.EpochPoint(n.get("epoch").asInt(), n.get("metric").asText(),
          number(n, "value"), number(n, "validationLoss"), tags));
    } else if (n.path("type").asText().equals("selection")) {
      int e = n.get("bestEpoch").asInt();
      int r = n.get("bestRound").asInt();
      kept = new Report.Kept(e, r, String.format(Locale.ROOT, "%s, held-out %s %s",
          HeldOutChoices.position(e, r), n.get("monitor").asText(), n.get("best").asText()));
    }
  }

  private static double number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? Double.NaN : v.asDouble();
  }

  private static BigDecimal seconds(double s) {
    return Decimals.of(s, 4);
  }

  private static String duration(double s) {
    long t = Math.round(s);
    return t >= 3600 ? String.format("%dh%02dm", t / 3600, t / 60 % 60)
        : String.format("%dm%02ds", t / 60, t % 60);
  }
}
