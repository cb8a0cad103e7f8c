package io.sparklstm.cli;

import io.sparklstm.cli.ScaleStudy.Point;
import io.sparklstm.cli.ScaleStudy.Setting;
import io.sparklstm.ml.Trainers;
import io.sparklstm.ml.param.JobSettings;
import io.sparklstm.ml.param.TrainingLoopParams;
import io.sparklstm.optim.BlockMomentum;
import io.sparklstm.spark.DivergedException;
import io.sparklstm.spark.SparkTrainer;
import io.sparklstm.spark.TokenText;
import io.sparklstm.train.HeldOut;
import io.sparklstm.train.RoundRecord;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The convergence study of parameter averaging (jobs/bench-scale): each workload (a job
 * configuration) trained on N = 1, 2, 4, ... partitions at an equal budget of tokens (examples),
 * for several averaging settings, with the held-out metric at regular token counts; then the
 * tokens each run needs to reach what one worker reaches, and the round cost model ({@link
 * CostModel}) with its inputs measured from the same rounds. Spark runs the N partitions on
 * local[cores] in turn; the model is bit-identical to one trained on N executors, so convergence
 * per token is what N executors would see. The one-worker reference is N = 1 with plain
 * averaging and the optimizer state kept (sequential training), at the conf's interval.
 *
 * <p>Writes DIR/study.csv (one row per evaluation), DIR/rounds.csv (one row per round),
 * DIR/report.html (charts and tables) and DIR/summary.txt (the printed tables), each replaced
 * atomically after every run; DIR must not exist.
 */
public final class ScaleBenchmark {
  static final String HELP = """
      Usage: ScaleBenchmark --out DIR --conf FILE [--conf FILE]... [options]
        --out DIR          output directory; refused if it exists
        --conf FILE        a workload: a job configuration (repeatable)
        --set key=value    override a job key in every workload (repeatable)
        --partitions LIST  N values (default 1,2,4,8,16,32,64)
        --settings LIST    MOMENTUM/EVERY[/reset][/all], comma-separated; MOMENTUM plain,
                           auto, sqrt or a number; /all splits the batch (default
                           plain/50,auto/50,0.9/50,auto/10,auto/200,auto/50/reset)
        --budget EPOCHS    tokens (examples) per run, in epochs of the training data (default 3)
        --evals M          held-out evaluations per run, at equal token steps (default 10)
        --target-fraction F  the target is the one-worker metric at F x the budget (default
                           0.5: the other runs get twice its tokens to reach it)
        --master MASTER    Spark master (default local[2])""";
  static final String DEFAULT_PARTITIONS = "1,2,4,8,16,32,64";
  static final String DEFAULT_SETTINGS =
      "plain/50,auto/50,0.9/50,auto/10,auto/200,auto/50/reset";
  static final String REFERENCE = "1 worker";

  /** One run: its workload, setting label, partitions, evaluations and rounds. */
  record Run(String workload, String setting, Setting averaging, int partitions,
      List<Point> points, List<RoundRecord> rounds, List<TaskTimes.Round> tasks, String failure) {
    /** The listener's figures of round {@code r} (NaN seconds, -1 bytes if it saw none). */
    TaskTimes.Round tasksOf(RoundRecord r) {
      String d = TaskTimes.description(r.epoch(), r.round(), r.rounds());
      return tasks.stream().filter(t -> t.description().equals(d)).findFirst()
          .orElse(new TaskTimes.Round(d, Double.NaN, -1, 0, Double.NaN));
    }
  }

  /**
   * A workload's figures the cost model needs beyond its rounds, from the one-worker reference:
   * {@code batch} is its whole minibatch (streams), {@code tokensPerStep} its tokens per step.
   */
  record Shape(String workload, String metric, boolean lowerIsBetter, int every, long params,
      int stateSlots, long carriedFloats, int batch, long tokensPerStep, long tokensPerEpoch) {}

  private static final class BudgetReached extends RuntimeException {
    BudgetReached() {
      super(null, null, false, false);
    }
  }

  private ScaleBenchmark() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0 || List.of(argv).contains("--help")) {
      System.out.println(HELP);
      return;
    }
    try {
      run(List.of(argv));
    } catch (IllegalArgumentException | FileAlreadyExistsException e) {
      System.err.println("error: " + (e instanceof FileAlreadyExistsException
          ? "--out " + e.getMessage() + " exists; choose a new directory" : e.getMessage()));
      System.exit(2);
    }
  }

  static void run(List<String> argv) throws Exception {
    Args a = Args.parse(argv, Set.of("--out", "--conf", "--set", "--partitions",
        "--settings", "--budget", "--evals", "--master", "--target-fraction"), Set.of());
    Path out = Path.of(a.required("--out"));
    List<String> confs = a.all("--conf");
    if (confs.isEmpty()) {
      throw new JobConfig.ConfigException("option --conf is required (--help explains it)");
    }
    int[] ns;
    double budget;
    double fraction;
    try {
      ns = Arrays.stream(a.get("--partitions", DEFAULT_PARTITIONS).split(","))
          .mapToInt(s -> Integer.parseInt(s.strip())).toArray();
      budget = Double.parseDouble(a.get("--budget", "3"));
      fraction = Double.parseDouble(a.get("--target-fraction", "0.5"));
    } catch (NumberFormatException e) {
      throw new JobConfig.ConfigException("--partitions expects positive integers separated by "
          + "commas and --budget a positive number of epochs: " + e.getMessage());
    }
    List<Setting> settings = Setting.parseList(a.get("--settings", DEFAULT_SETTINGS));
    int evals = a.integer("--evals", 10);
    if (!(budget > 0) || evals < 0 || Arrays.stream(ns).anyMatch(n -> n < 1)
        || !(fraction > 0 && fraction <= 1)) {
      throw new JobConfig.ConfigException("--budget must be positive, --evals not negative, "
          + "--partitions positive and --target-fraction in (0, 1]");
    }
    String scope = TrainingLoopParams.BATCH_SCOPE.confKey();
    if (a.all("--set").stream().anyMatch(kv -> kv.strip().startsWith(scope))) {
      throw new JobConfig.ConfigException("--set " + scope + ": each setting chooses it "
          + "(append /all to a setting to split the batch, e.g. sqrt/50/all)");
    }
    List<JobConfig> jobs = new ArrayList<>();
    for (String c : confs) { // every configuration checked before anything runs
      jobs.add(JobConfig.load(Path.of(c), a.all("--set")));
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.createDirectory(out);
    SparkConf conf = Main.sparkConf("bench-scale").setMaster(a.get("--master", "local[2]"));
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      ScaleReport report = new ScaleReport(out, String.join(" ", argv), sc.defaultParallelism(),
          fraction * budget);
      TaskTimes times = TaskTimes.register(sc);
      for (int w = 0; w < confs.size(); w++) {
        String name = Path.of(confs.get(w)).getFileName().toString().replaceAll("\\.conf$", "");
        new Study(sc, times, report, name, confs.get(w), a.all("--set"), budget, evals)
            .runAll(jobs.get(w), ns, settings);
      }
    }
    System.out.println("Written to " + out + ": study.csv, rounds.csv, report.html, summary.txt");
  }

  /** One workload's runs. */
  private static final class Study {
    private final JavaSparkContext sc;
    private final TaskTimes times;
    private final ScaleReport report;
    private final String workload;
    private final String conf;
    private final List<String> sets;
    private final double budget;
    private final int evals;
    /** Known after the first run. */
    private Shape shape;

    Study(JavaSparkContext sc, TaskTimes times, ScaleReport report, String workload,
        String conf, List<String> sets, double budget, int evals) {
      this.sc = sc;
      this.times = times;
      this.report = report;
      this.workload = workload;
      this.conf = conf;
      this.sets = sets;
      this.budget = budget;
      this.evals = evals;
    }

    /** The one-worker reference, then every setting at every N (N = 1 where it differs). */
    void runAll(JobConfig base, int[] ns, List<Setting> settings) throws IOException {
      List<Run> runs = new ArrayList<>();
      runs.add(train(REFERENCE, 1,
          new Setting(BlockMomentum.of(0), base.settings().getAverageEvery(), true, false)));
      report.measured(workload, CostFit.measure(sc, times, shape, sc.defaultParallelism()));
      report.update(shape, runs);
      for (int n : ns) {
        for (Setting s : settings) {
          if (!(n == 1 && s.singleWorkerAtOne())) {
            runs.add(train(s.label(), n, s));
            report.update(shape, runs);
          }
        }
      }
      System.out.print(report.summary(workload));
    }

    Run train(String label, int n, Setting setting) throws IOException {
      List<String> overrides = new ArrayList<>(sets);
      overrides.addAll(setting.overrides());
      overrides.add("spark.partitions=" + n);
      overrides.add("train.epochs=" + (int) Math.ceil(budget));
      overrides.add("train.max.rounds=0");
      overrides.add("train.max.seconds=0");
      JobConfig cfg = JobConfig.load(Path.of(conf), overrides);
      JobSettings s = cfg.settings();
      JobData<?> data = JobData.load(sc, cfg, null, n);
      SparkTrainer trainer = Trainers.trainer(sc, s, data.spec(), data.window(s), n);
      long epochTokens = data.train() instanceof TokenText t ? t.length()
          : ((JavaRDD<?>) data.train()).count();
      long budgetTokens = (long) Math.ceil(budget * epochTokens);
      List<Point> points = new ArrayList<>();
      List<RoundRecord> rounds = new ArrayList<>();
      long[] carried = {0};
      double[] wall = {0};
      String[] metric = {null};
      boolean lower = data.task().choose(false, true, false, true);
      times.reset();
      String failure = null;
      System.out.printf(Locale.ROOT, "== %s: %s, N=%d, budget %d tokens%n", workload, label, n,
          budgetTokens);
      try {
        data.train(trainer, trainer.initialState(), (record, next) -> {
          long before = rounds.stream().mapToLong(RoundRecord::examples).sum();
          rounds.add(record);
          long seen = before + record.examples();
          wall[0] += record.wallSeconds();
          // the largest seen: an epoch's last round clears the carried states
          carried[0] = Math.max(carried[0], next.model().carriedStates().values().stream()
              .mapToLong(v -> v.length).max().orElse(0));
          boolean last = seen >= budgetTokens
              || next.epoch() == s.getEpochs();
          if (last || ScaleStudy.evaluateAfter(before, seen, budgetTokens, evals)) {
            HeldOut h = data.evaluate(trainer, next.model());
            metric[0] = h.metricName();
            points.add(new Point(seen, h.metric(), wall[0]));
            System.out.printf(Locale.ROOT, "   %d tokens  %s %.4f  (%.1f s training)%n", seen,
                h.metricName(), h.metric(), wall[0]);
          }
          if (seen >= budgetTokens) {
            throw new BudgetReached();
          }
          return next;
        });
      } catch (BudgetReached e) {
        // the budget is spent; the shards were released on the way out
      } catch (DivergedException e) {
        failure = "diverged: " + e.getMessage();
        System.out.println("   " + failure);
      }
      if (shape == null) {
        int batch = trainer.config().batchSize();
        long tokensPerStep = data.task().choose((long) batch, (long) batch * s.getWindow(),
            (long) batch, (long) batch);
        shape = new Shape(workload, metric[0], lower, setting.every(),
            trainer.initialModel().params().length, trainer.config().optimizer().rule()
            .stateSlots(), carried[0], batch, tokensPerStep, epochTokens);
      }
      return new Run(workload, label, setting, n, points, rounds, times.rounds(sc), failure);
    }
  }
}
