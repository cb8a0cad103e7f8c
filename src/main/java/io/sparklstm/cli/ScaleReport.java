package io.sparklstm.cli;

import io.sparklstm.cli.ScaleBenchmark.Run;
import io.sparklstm.cli.ScaleBenchmark.Shape;
import io.sparklstm.cli.ScaleStudy.Point;
import io.sparklstm.io.LineCharts;
import io.sparklstm.train.RoundRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The study's outputs, rewritten (each file atomically) after every run so that a long study
 * that stops keeps what it measured: study.csv, rounds.csv, summary.txt and report.html.
 */
final class ScaleReport {
  private final Path dir;
  private final String command;
  private final int cores;
  private final Map<String, Shape> shapes = new LinkedHashMap<>();
  private final Map<String, List<Run>> runs = new LinkedHashMap<>();
  private final Map<String, CostModel.Overheads> coordination = new LinkedHashMap<>();

  /** Epochs of training at which the one-worker reference's metric is the target. */
  private final double targetEpochs;

  ScaleReport(Path dir, String command, int cores, double targetEpochs) {
    this.targetEpochs = targetEpochs;
    this.dir = dir;
    this.command = command;
    this.cores = cores;
  }

  /** Records a workload's coordination figures, measured apart from its runs. */
  void measured(String workload, CostModel.Overheads m) {
    coordination.put(workload, m);
  }

  /** Records a workload's runs so far and rewrites every output. */
  void update(Shape shape, List<Run> workloadRuns) throws IOException {
    shapes.put(shape.workload(), shape);
    runs.put(shape.workload(), List.copyOf(workloadRuns));
    StringBuilder study = new StringBuilder("workload,setting,partitions,tokens,metric_name,"
        + "metric,wall_seconds,failure\n");
    StringBuilder rounds = new StringBuilder("workload,setting,partitions,epoch,round,tokens,"
        + "wall_seconds,compute_seconds,broadcast_seconds,aggregate_seconds,task_seconds_sum,"
        + "result_bytes\n");
    StringBuilder summary = new StringBuilder();
    for (String w : runs.keySet()) {
      Shape s = shapes.get(w);
      for (Run r : runs.get(w)) {
        String key = String.format(Locale.ROOT, "%s,%s,%d,", w, r.setting(), r.partitions());
        for (Point p : r.points()) {
          study.append(key).append(String.format(Locale.ROOT, "%d,%s,%.6f,%.2f,%n",
              p.tokens(), s.metric(), p.metric(), p.seconds()));
        }
        if (r.failure() != null) {
          study.append(key).append(",,,,").append(r.failure().replace(',', ';')
              .replace('\n', ' ')).append('\n');
        }
        long seen = 0;
        for (RoundRecord rec : r.rounds()) {
          seen += rec.examples();
          TaskTimes.Round t = r.tasksOf(rec);
          rounds.append(key).append(String.format(Locale.ROOT, "%d,%d,%d,%.4f,%.4f,%.4f,%.4f,"
                  + "%.4f,%d%n", rec.epoch() + 1, rec.round() + 1, seen, rec.wallSeconds(),
              rec.computeSeconds(), rec.broadcastSeconds(), rec.aggregateSeconds(),
              t.taskSeconds(), t.resultBytes()));
        }
      }
      summary.append(summary(w));
    }
    write("study.csv", study.toString());
    write("rounds.csv", rounds.toString());
    write("summary.txt", summary.toString());
    write("report.html", html(summary.toString()));
  }

  /** A workload's tables: tokens to reach one worker's final metric, then the cost model. */
  String summary(String workload) {
    Shape s = shapes.get(workload);
    List<Run> rs = runs.get(workload);
    StringBuilder o = new StringBuilder("== " + workload + "\n");
    Run ref = rs.stream().filter(r -> r.setting().equals(ScaleBenchmark.REFERENCE)).findFirst()
        .orElse(null);
    if (ref == null || ref.points().isEmpty()) {
      return o.append("no one-worker reference\n").toString();
    }
    Point at = ref.points().stream().filter(p -> p.tokens() >= targetEpochs
        * s.tokensPerEpoch()).findFirst().orElse(ref.points().get(ref.points().size() - 1));
    double target = at.metric();
    long refTokens = ScaleStudy.tokensToReach(ref.points(), target, s.lowerIsBetter())
        .orElseThrow();
    o.append(String.format(Locale.ROOT, "Tokens (examples) to reach the one-worker model's "
            + "held-out %s %.4f at %,d tokens%n(its first evaluation past %.3g epochs); the "
            + "ratio is to %,d tokens, where it first reached it;%na run's count is its first "
            + "evaluation at or past the target%n", s.metric(), target, at.tokens(),
        targetEpochs, refTokens));
    Set<Integer> ns = new TreeSet<>();
    Set<String> settings = new LinkedHashSet<>();
    rs.forEach(r -> {
      ns.add(r.partitions());
      if (!r.setting().equals(ScaleBenchmark.REFERENCE)) {
        settings.add(r.setting());
      }
    });
    o.append(String.format("%-22s", "setting"));
    ns.forEach(n -> o.append(String.format("%21s", "N=" + n)));
    o.append('\n');
    for (String setting : settings) {
      o.append(String.format("%-22s", setting));
      for (int n : ns) {
        Run r = find(rs, x -> x.setting().equals(setting) && x.partitions() == n);
        if (r == null && n == 1) {
          r = ref; // this setting trains as one worker does on one partition
        }
        o.append(String.format("%21s", cell(r, target, refTokens, s.lowerIsBetter())));
      }
      o.append('\n');
    }
    CostModel.Overheads c = coordination.get(workload);
    CostModel m = c == null ? null : CostFit.fit(s, rs, c, cores);
    if (m != null) {
      o.append(CostFit.tables(s, rs, m, cores));
    }
    return o.toString();
  }

  private static String cell(Run r, double target, long refTokens, boolean lower) {
    if (r == null) {
      return "-";
    }
    if (r.failure() != null) {
      return "diverged";
    }
    OptionalLong t = ScaleStudy.tokensToReach(r.points(), target, lower);
    if (t.isEmpty()) {
      double last = r.points().isEmpty() ? Double.NaN
          : r.points().get(r.points().size() - 1).metric();
      return String.format(Locale.ROOT, "not reached (%.4f)", last);
    }
    return String.format(Locale.ROOT, "%,d (%.2fx)", t.getAsLong(),
        (double) t.getAsLong() / refTokens);
  }

  private static Run find(List<Run> rs, Predicate<Run> p) {
    return rs.stream().filter(p).findFirst().orElse(null);
  }

  /** The page: the command, the tables, and per workload a chart per N and per setting. */
  private String html(String summary) {
    StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
        + "<title>Scaling study</title><style>body{font-family:sans-serif;margin:2em}"
        + "svg{background:#fafafa;border:1px solid #ddd}pre{font-size:12px}</style></head>"
        + "<body><h1>Convergence of averaging against partitions</h1><p>Command: <code>")
        .append(LineCharts.escape(command)).append("</code></p><pre>")
        .append(LineCharts.escape(summary)).append("</pre>");
    for (String w : runs.keySet()) {
      Shape s = shapes.get(w);
      List<Run> rs = runs.get(w);
      Run ref = find(rs, r -> r.setting().equals(ScaleBenchmark.REFERENCE));
      String x = (s.lowerIsBetter() ? "tokens" : "examples") + " seen (thousands)";
      String y = "held-out " + s.metric();
      Set<Integer> ns = new TreeSet<>();
      Set<String> settings = new LinkedHashSet<>();
      rs.forEach(r -> {
        ns.add(r.partitions());
        settings.add(r.setting());
      });
      settings.remove(ScaleBenchmark.REFERENCE);
      h.append("<h2>").append(LineCharts.escape(w)).append(": one chart per N, a curve per "
          + "setting</h2>");
      for (int n : ns) {
        List<Run> at = new ArrayList<>(rs.stream().filter(r -> r.partitions() == n
            && r != ref).toList());
        if (!at.isEmpty()) { // N = 1 may be the reference alone
          chart(h, w + ", N = " + n, x, y, ref, at, r -> r.setting());
        }
      }
      h.append("<h2>").append(LineCharts.escape(w)).append(": one chart per setting, a curve "
          + "per N</h2>");
      for (String setting : settings) {
        chart(h, w + ", " + setting, x, y, ref, rs.stream().filter(r -> r.setting()
            .equals(setting)).toList(), r -> "N=" + r.partitions());
      }
    }
    return h.append("</body></html>\n").toString();
  }

  private static void chart(StringBuilder h, String title, String x, String y, Run ref,
      List<Run> curves, java.util.function.Function<Run, String> name) {
    List<LineCharts.Line> lines = new ArrayList<>();
    if (ref != null) {
      lines.add(line(ScaleBenchmark.REFERENCE, ref));
    }
    curves.forEach(r -> lines.add(line(name.apply(r), r)));
    h.append("<h3>").append(LineCharts.escape(title)).append("</h3>")
        .append(LineCharts.svg(x, y, lines));
  }

  private static LineCharts.Line line(String name, Run r) {
    return new LineCharts.Line(name, r.points().stream().mapToDouble(p -> p.tokens() / 1e3)
        .toArray(),
        r.points().stream().mapToDouble(Point::metric).toArray());
  }

  private void write(String name, String text) throws IOException {
    Path tmp = dir.resolve(".tmp-" + name);
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }
}
