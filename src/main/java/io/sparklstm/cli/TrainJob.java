package io.sparklstm.cli;

import io.sparklstm.io.HadoopFiles;
import io.sparklstm.io.Report;
import io.sparklstm.io.SavedModel;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.optim.LearningRateSchedule;
import io.sparklstm.optim.OptimizerSpec;
import io.sparklstm.optim.UpdateRule;
import io.sparklstm.spark.DivergedException;
import io.sparklstm.spark.RoundRecord;
import io.sparklstm.spark.SparkTrainer;
import io.sparklstm.spark.SparkTrainingConfig;
import io.sparklstm.spark.TrainingState;
import io.sparklstm.train.Evaluation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code train --conf FILE --out DIR [--resume] [--set key=value]...}: trains on Spark and
 * writes {@code DIR/metrics.jsonl}, {@code DIR/checkpoints/}, {@code DIR/model/model.bin} and
 * {@code DIR/report.html}. A checkpoint follows every epoch (and every
 * {@code checkpoint.every.rounds} rounds); {@code --resume} continues from the last one, ending
 * with the model an uninterrupted run would have given, bit for bit.
 */
final class TrainJob {
  static final String HELP = """
      Usage: jobs/train --conf FILE --out DIR [--resume] [--set key=value]...
        --conf FILE     job configuration (conf/char-lm.conf, conf/fashion-mnist.conf, ...)
        --out DIR       run directory (any Hadoop path): metrics.jsonl, checkpoints/, model/,
                        report.html
        --resume        continue from the last checkpoint in DIR/checkpoints
        --set key=value override one configuration key (repeatable)
      Every spark-submit option (--master, --conf spark.x=y, --properties-file, ...) passes
      through to Spark unchanged, anywhere on the line. --conf VALUE (also -c, --conf=VALUE) is
      Spark's when VALUE is spark.x=y, or another x=y that names no existing file, and the
      job's configuration file otherwise.""";

  /** Keys a resumed run may change; any other change would break bit-identical resume. */
  private static final Set<String> RESUMABLE_CHANGES = Set.of("train.epochs",
      "checkpoint.every.rounds", "train.divergence.factor");

  private TrainJob() {}

  static void run(List<String> argv) throws Exception {
    Args a = Args.parse(argv, Set.of("--conf", "--out", "--set"), Set.of("--resume"));
    String confFile = a.get("--conf", null);
    JobConfig cfg = JobConfig.load(confFile == null ? null : Path.of(confFile), a.all("--set"));
    String out = a.required("--out");
    try (JavaSparkContext sc = new JavaSparkContext(Main.sparkConf("train"))) {
      Configuration hconf = sc.hadoopConfiguration();
      String checkpoints = out + "/checkpoints";
      String latest = latestCheckpoint(checkpoints, hconf);
      SavedModel resumed = null;
      if (a.flag("--resume")) {
        if (latest == null) {
          throw new JobConfig.ConfigException("--resume: no checkpoint under " + checkpoints);
        }
        resumed = SavedModel.read(latest, hconf);
        checkSameRun(cfg, resumed.config(), latest);
        System.out.println("Resuming from " + latest + " (epoch " + (resumed.state().epoch() + 1)
            + ", round " + (resumed.state().round() + 1) + ")");
      } else if (latest != null) {
        throw new JobConfig.ConfigException(out + " already holds a run (" + latest
            + "); pass --resume to continue it or choose another --out");
      }
      JobData data = JobData.load(sc, cfg, resumed);
      if (resumed != null && !resumed.spec().equals(data.spec())) {
        throw new JobConfig.ConfigException(latest + " holds a model of shape " + resumed.spec()
            + " but the configuration and data give " + data.spec());
      }
      SparkTrainer trainer = new SparkTrainer(sc, trainingConfig(cfg, data.spec()))
          .stopAfterRounds(cfg.longValue("train.max.rounds"))
          .stopAfterSeconds(cfg.number("train.max.seconds"))
          .divergenceFactor(cfg.number("train.divergence.factor"));
      Map<String, Object> provenance = provenance(sc, cfg, data);
      RunLog log = new RunLog(out, hconf, resumed != null);
      TrainingState start = resumed != null ? resumed.state() : trainer.initialState();
      int everyRounds = cfg.integer("checkpoint.every.rounds");
      int[] roundsSinceCheckpoint = {0};
      long began = System.nanoTime();
      SparkTrainer.Progress progress = (record, next) -> {
        log.round(record, began, cfg.integer("train.epochs"));
        boolean epochEnd = next.round() == 0;
        roundsSinceCheckpoint[0]++;
        try {
          if (epochEnd) {
            evaluate(trainer, data, next, log, record.epoch());
          }
          if (epochEnd || (everyRounds > 0 && roundsSinceCheckpoint[0] >= everyRounds)) {
            String path = String.format(Locale.ROOT, "%s/ckpt-e%04d-r%05d.bin", checkpoints,
                next.epoch(), next.round());
            new SavedModel(cfg.asMap(), data.spec(), data.vocabulary(), data.classes(), next,
                provenance).write(path, hconf);
            roundsSinceCheckpoint[0] = 0;
          }
          log.flush(cfg.asMap());
        } catch (IOException e) {
          throw new IllegalStateException(e.getMessage(), e);
        }
      };
      TrainingState end;
      try {
        end = data.trainText() != null
            ? trainer.trainLanguageModel(data.trainText(), start, progress)
            : trainer.trainClassifier(data.trainExamples(), start, progress);
      } catch (DivergedException e) {
        String last = latestCheckpoint(checkpoints, hconf);
        throw new DivergedException(e.getMessage() + (last == null
            ? "; no checkpoint had been written" : "; the last good checkpoint is " + last));
      }
      if (cfg.number("train.max.seconds") > 0 && end.round() != 0) {
        evaluate(trainer, data, end, log, end.epoch()); // stopped by the budget inside an epoch
      }
      String model = out + "/model/model.bin";
      new SavedModel(cfg.asMap(), data.spec(), data.vocabulary(), data.classes(), end,
          provenance).write(model, hconf);
      log.flush(cfg.asMap());
      System.out.println("Model written to " + model + "; report: " + out + "/report.html");
      if (data.spec().head() == ModelSpec.HeadKind.EVERY_STEP) {
        GenerateJob.printSample(SavedModel.read(model, hconf), "The ", 300, 0.8, 0, 1);
      }
    }
  }

  private static void evaluate(SparkTrainer trainer, JobData data, TrainingState state,
      RunLog log, int epoch) {
    if (data.validationText() != null) {
      LossTotals t = trainer.evaluateLanguageModel(state.model(), data.validationText());
      log.epoch(epoch, "bits per token", t.bitsPerToken(), t.meanLoss(), t.accuracy());
    } else if (data.validationExamples() != null) {
      Evaluation e = trainer.evaluateClassifier(state.model(), data.validationExamples());
      log.epoch(epoch, "accuracy", e.loss().accuracy(), e.loss().meanLoss(), e.loss().accuracy());
    }
  }

  /** The trainer's settings; the window is the TBPTT window or the longest sequence. */
  static SparkTrainingConfig trainingConfig(JobConfig cfg, ModelSpec spec) {
    String m = cfg.string("average.block.momentum");
    boolean lm = spec.head() == ModelSpec.HeadKind.EVERY_STEP;
    return new SparkTrainingConfig(spec, optimizer(cfg), cfg.integer("train.batch"),
        lm ? cfg.integer("train.window") : cfg.integer("text.max.length"),
        cfg.integer("train.epochs"), cfg.integer("spark.partitions"),
        cfg.integer("average.every"), cfg.flag("average.optimizer.state"),
        m.equals("auto") ? SparkTrainingConfig.AUTO_BLOCK_MOMENTUM : Double.parseDouble(m),
        cfg.longValue("train.seed"));
  }

  static OptimizerSpec optimizer(JobConfig cfg) {
    UpdateRule rule = switch (cfg.string("optim.name")) {
      case "sgd" -> new UpdateRule.Sgd(cfg.number("optim.momentum"), cfg.flag("optim.nesterov"));
      case "rmsprop" -> new UpdateRule.RmsProp(cfg.number("optim.rho"),
          cfg.number("optim.epsilon"));
      default -> new UpdateRule.Adam(cfg.number("optim.beta1"), cfg.number("optim.beta2"),
          cfg.number("optim.epsilon"));
    };
    LearningRateSchedule schedule = switch (cfg.string("optim.schedule")) {
      case "step" -> new LearningRateSchedule.Step(cfg.longValue("optim.schedule.every"),
          cfg.number("optim.schedule.gamma"));
      case "exponential" -> new LearningRateSchedule.Exponential(
          cfg.number("optim.schedule.gamma"));
      case "cosine" -> new LearningRateSchedule.Cosine(cfg.longValue("optim.schedule.total"),
          cfg.number("optim.schedule.floor"));
      default -> new LearningRateSchedule.Constant();
    };
    return new OptimizerSpec(rule, cfg.number("optim.lr"), schedule, cfg.number("optim.l2"),
        cfg.number("optim.clip"));
  }

  private static void checkSameRun(JobConfig now, Map<String, String> then, String file) {
    for (Map.Entry<String, String> e : now.asMap().entrySet()) {
      // A checkpoint from before a key existed ran with its default.
      String before = then.getOrDefault(e.getKey(), JobKeys.ALL.get(e.getKey()).defaultValue());
      if (!RESUMABLE_CHANGES.contains(e.getKey()) && !e.getValue().equals(before)) {
        throw new JobConfig.ConfigException("--resume: " + e.getKey() + " = '" + e.getValue()
            + "' differs from '" + before + "' in " + file + "; only " + RESUMABLE_CHANGES
            + " may change when resuming");
      }
    }
  }

  private static Map<String, Object> provenance(JavaSparkContext sc, JobConfig cfg,
      JobData data) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("sparkLstm", TrainJob.class.getPackage().getImplementationVersion() == null ? "dev"
        : TrainJob.class.getPackage().getImplementationVersion());
    p.put("spark", sc.version());
    p.put("java", System.getProperty("java.version"));
    p.put("seed", cfg.string("train.seed"));
    p.put("data", data.fingerprint());
    return p;
  }

  /** The newest checkpoint file (names sort by position), or null. */
  static String latestCheckpoint(String dir, Configuration conf) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      return null;
    }
    String best = null;
    for (FileStatus s : fs.listStatus(p)) {
      String name = s.getPath().getName();
      if (name.startsWith("ckpt-") && name.endsWith(".bin")
          && (best == null || name.compareTo(best) > 0)) {
        best = name;
      }
    }
    return best == null ? null : dir + "/" + best;
  }

  /** Console progress, metrics.jsonl and report.html of one run. */
  static final class RunLog {
    private final String out;
    private final Configuration conf;
    private final List<String> lines = new ArrayList<>();
    private final List<RoundRecord> rounds = new ArrayList<>();
    private final List<Report.EpochPoint> epochs = new ArrayList<>();

    RunLog(String out, Configuration conf, boolean keepExisting) throws IOException {
      this.out = out;
      this.conf = conf;
      String metrics = out + "/metrics.jsonl";
      if (keepExisting && HadoopFiles.exists(metrics, conf)) {
        String text = new String(HadoopFiles.read(metrics, conf), StandardCharsets.UTF_8);
        lines.addAll(Arrays.asList(text.split("\n")));
        lines.removeIf(String::isBlank);
      }
    }

    void round(RoundRecord r, long beganNanos, int epochs) {
      rounds.add(r);
      double done = (r.epoch() * (double) r.rounds() + r.round() + 1) / (epochs * (double) r.rounds());
      double elapsed = (System.nanoTime() - beganNanos) / 1e9;
      double eta = elapsed / Math.max(1e-9, rounds.size()) * Math.max(0,
          (1 - done) * epochs * r.rounds());
      System.out.printf(Locale.ROOT, "[epoch %d/%d %5.1f%% ETA %s] round %d/%d  loss %.4f  acc "
              + "%.4f  %,.0f/s  (compute %.2fs, broadcast %.3fs, aggregate %.3fs)%n",
          r.epoch() + 1, epochs, 100 * done, duration(eta), r.round() + 1, r.rounds(), r.loss(),
          r.accuracy(), r.examplesPerSecond(), r.computeSeconds(), r.broadcastSeconds(),
          r.aggregateSeconds());
      lines.add(String.format(Locale.ROOT, "{\"type\":\"round\",\"epoch\":%d,\"round\":%d,"
              + "\"rounds\":%d,\"examples\":%d,\"loss\":%s,\"accuracy\":%s,"
              + "\"examplesPerSecond\":%.1f,\"computeSeconds\":%.4f,\"broadcastSeconds\":%.4f,"
              + "\"aggregateSeconds\":%.4f,\"wallSeconds\":%.4f,\"executorRssMiB\":%d}",
          r.epoch() + 1, r.round() + 1, r.rounds(), r.examples(), json(r.loss()),
          json(r.accuracy()), r.examplesPerSecond(), r.computeSeconds(), r.broadcastSeconds(),
          r.aggregateSeconds(), r.wallSeconds(), r.executorResidentBytes() >> 20));
    }

    void epoch(int epoch, String metric, double value, double loss, double accuracy) {
      epochs.add(new Report.EpochPoint(epoch + 1, metric, value));
      System.out.printf(Locale.ROOT, "epoch %d held-out: loss %.4f, %s %.4f, accuracy %.4f%n",
          epoch + 1, loss, metric, value, accuracy);
      lines.add(String.format(Locale.ROOT, "{\"type\":\"epoch\",\"epoch\":%d,\"validationLoss\":"
              + "%s,\"validationAccuracy\":%s,\"metric\":\"%s\",\"value\":%s}", epoch + 1,
          json(loss), json(accuracy), metric, json(value)));
    }

    void flush(Map<String, String> config) throws IOException {
      HadoopFiles.writeAtomically(out + "/metrics.jsonl",
          (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), conf);
      HadoopFiles.writeAtomically(out + "/report.html",
          Report.html("spark-lstm training run", config, rounds, epochs)
              .getBytes(StandardCharsets.UTF_8), conf);
    }

    private static String json(double v) {
      return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "null";
    }

    private static String duration(double s) {
      long t = Math.round(s);
      return t >= 3600 ? String.format("%dh%02dm", t / 3600, t / 60 % 60)
          : String.format("%dm%02ds", t / 60, t % 60);
    }
  }
}
