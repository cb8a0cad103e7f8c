package io.sparklstm.cli;

import io.sparklstm.io.RunLock;
import io.sparklstm.io.SavedModel;
import io.sparklstm.ml.Trainers;
import io.sparklstm.ml.param.JobSettings;
import io.sparklstm.spark.DivergedException;
import io.sparklstm.spark.Seq2SeqTask;
import io.sparklstm.spark.SparkTrainer;
import io.sparklstm.train.HeldOut;
import io.sparklstm.train.RoundRecord;
import io.sparklstm.train.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code train --conf FILE --out DIR [--resume] [--set key=value]...}: trains on Spark and
 * writes {@code DIR/metrics.jsonl}, {@code DIR/checkpoints/}, {@code DIR/model/model.bin} and
 * {@code DIR/report.html}. One job at a time writes a run ({@link RunDirectory} locks it). A
 * checkpoint follows every epoch (and every {@code checkpoint.every.rounds} rounds) and carries
 * the run log up to it; {@code --resume} continues from the last one, with the same data and
 * partitions, ending with the model and log an uninterrupted run would have given. Ctrl-C stops
 * at the next round boundary with a checkpoint.
 */
final class TrainJob {
  static final String HELP = """
      Usage: jobs/train --conf FILE --out DIR [--resume] [--set key=value]...
        --conf FILE     job configuration (conf/char-lm.conf, conf/fashion-mnist.conf, ...)
        --out DIR       run directory (any Hadoop path): metrics.jsonl, checkpoints/, model/,
                        report.html; refused if it holds a run already, unless --resume
        --resume        continue the run in DIR from its last checkpoint (from the start if it
                        has none yet), with the same data
        --set key=value override one configuration key (repeatable)
      Ctrl-C stops at the end of the current round with a checkpoint (twice: at once).
      Every spark-submit option (--master, --conf spark.x=y, --properties-file, ...) passes
      through to Spark unchanged, anywhere on the line. --conf VALUE (also -c, --conf=VALUE) is
      Spark's when VALUE is spark.x=y, or another x=y that names no existing file, and the
      job's configuration file otherwise.""";

  private TrainJob() {}

  static void run(List<String> argv) throws Exception {
    Args a = Args.parse(argv, Set.of("--conf", "--out", "--set"), Set.of("--resume"));
    String confFile = a.get("--conf", null);
    JobConfig cfg = JobConfig.load(confFile == null ? null : Path.of(confFile), a.all("--set"));
    String out = a.required("--out");
    try (CtrlC ctrlC = CtrlC.install(resumeCommand(argv));
        JavaSparkContext sc = new JavaSparkContext(Main.sparkConf("train"));
        RunDirectory run = RunDirectory.open(out, a.flag("--resume"), sc.hadoopConfiguration())) {
      if (cfg.settings().getTask().equals(Seq2SeqTask.SEQ2SEQ.name())) {
        Seq2SeqJobs.train(sc, cfg, run, a.flag("--resume"));
        return;
      }
      train(sc, cfg, run, a.flag("--resume"), ctrlC);
    }
  }

  private static void train(JavaSparkContext sc, JobConfig cfg, RunDirectory run,
      boolean resume, CtrlC ctrlC) throws IOException {
    Configuration hconf = sc.hadoopConfiguration();
    String latest = run.latestCheckpoint();
    SavedModel resumed = null;
    if (resume && latest == null) {
      System.out.println("No checkpoint in " + run.dir() + " yet: starting the run from the "
          + "beginning");
    } else if (resume) {
      resumed = SavedModel.read(latest, hconf);
      Resume.checkSameConfig(cfg, resumed.config(), latest);
      System.out.println("Resuming from " + latest + " (epoch " + (resumed.state().epoch() + 1)
          + ", round " + (resumed.state().round() + 1) + ")");
    }
    JobSettings s = cfg.settings();
    int partitions = Resume.partitions(sc, s.getNumPartitions(), resumed, latest);
    JobData<?> data = JobData.load(sc, cfg, resumed, partitions);
    if (resumed != null) {
      Resume.checkSameData(resumed, data, s, latest);
    }
    // The estimators' own trainer: the job and LstmClassifier/LstmLanguageModel cannot diverge.
    SparkTrainer trainer = Trainers.trainer(sc, s, data.spec(), data.window(s), partitions);
    Map<String, Object> provenance = provenance(sc, s, data, partitions);
    RunLog log = new RunLog(run.dir(), hconf, resumed == null ? List.of() : resumed.log(),
        partitions);
    if (resumed != null) {
      log.flush(cfg.asMap()); // the log as the checkpoint saw it: no lines of a lost future
    }
    // train.max.rounds and train.max.seconds count the whole run, not this process's share.
    long maxRounds = s.getMaxRounds();
    double maxSeconds = s.getMaxSeconds();
    long roundsLeft = maxRounds - log.rounds();
    double secondsLeft = maxSeconds - log.wallSeconds();
    boolean budgetSpent = maxRounds > 0 && roundsLeft <= 0 || maxSeconds > 0 && secondsLeft <= 0;
    trainer.stopAfterRounds(maxRounds > 0 ? roundsLeft : 0)
        .stopAfterSeconds(maxSeconds > 0 ? secondsLeft : 0);
    TrainingState start = resumed != null ? resumed.state() : trainer.initialState();
    int everyRounds = s.getCheckpointEveryRounds();
    int[] roundsSinceCheckpoint = {0};
    HeldOutChoices choices = HeldOutChoices.of(s, data.validation() != null);
    long began = System.nanoTime();
    SparkTrainer.Steering progress = (record, trained) -> {
      log.round(record, began, s.getEpochs());
      boolean evaluates = choices.evaluatesAfter(record);
      roundsSinceCheckpoint[0]++;
      try {
        TrainingState next = evaluates
            ? choices.judge(evaluate(trainer, data, trained, log, record.epoch(),
                trained.round() == 0 ? null : record), trained, log)
            : trained;
        run.lock().check();
        boolean stop = ctrlC.stopRequested();
        if (stop || evaluates || everyRounds > 0 && roundsSinceCheckpoint[0] >= everyRounds) {
          new SavedModel(cfg.asMap(), data.spec(), data.vocabulary(), data.classes(), next,
              provenance, log.lines()).write(run.checkpoint(next), hconf);
          roundsSinceCheckpoint[0] = 0;
          run.prune(s.getCheckpointKeep(), next);
        }
        log.flush(cfg.asMap());
        if (stop) {
          throw new CtrlC.Stopped("interrupted: stopped after epoch " + (record.epoch() + 1)
              + ", round " + (record.round() + 1) + "/" + record.rounds() + " with checkpoint "
              + run.checkpoint(next) + "; resume with: " + ctrlC.resumeCommand());
        }
        return next;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
    TrainingState end = start;
    ctrlC.trainingStarted();
    try {
      if (!budgetSpent) {
        end = data.train(trainer, start, progress);
      }
      if (maxSeconds > 0 && end.round() != 0) { // stopped by the budget inside an epoch
        evaluate(trainer, data, end, log, end.epoch(), null);
      }
      new SavedModel(cfg.asMap(), data.spec(), data.vocabulary(), data.classes(),
          choices.kept(end, run, hconf), provenance, null).write(run.model(), hconf);
      log.flush(cfg.asMap());
    } catch (DivergedException e) {
      String last = run.latestCheckpoint();
      throw new DivergedException(e.getMessage() + (last == null
          ? "; no checkpoint had been written" : "; the last good checkpoint is " + last));
    } catch (IOException | UncheckedIOException e) {
      // A write failed (a full disk, say): what failed, and how to go on once it is fixed.
      String last = run.latestCheckpoint();
      IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
      if (cause instanceof RunLock.LockedException) {
        throw cause; // another job has the run now: resuming is not this one's business
      }
      throw new IOException(cause.getMessage() + (last == null ? "" : "; the last checkpoint is "
          + last + ", intact: fix this and resume with: " + ctrlC.resumeCommand()), e);
    }
    System.out.println("Model written to " + run.model() + "; report: " + run.dir()
        + "/report.html");
    if (data.task().choose(false, true, false, false)) { // a language model shows what it writes
      GenerateJob.printSample(SavedModel.read(run.model(), hconf), "The ", 300, 0.8, 0, 1);
    }
  }

  /**
   * The held-out figures of {@code state}'s model (null without held-out data), logged as
   * {@code epoch}'s, or as an evaluation after round {@code inside} of it.
   */
  private static HeldOut evaluate(SparkTrainer trainer, JobData<?> data, TrainingState state,
      RunLog log, int epoch, RoundRecord inside) {
    HeldOut h = data.evaluate(trainer, state.model());
    if (h != null && inside == null) {
      log.epoch(epoch, h.metricName(), h.metric(), h.meanLoss(), h.accuracy(),
          h instanceof HeldOut.Tags t ? t.report(data.classes()).tags() : null);
    } else if (h != null) {
      log.evaluation(inside, h.metricName(), h.metric(), h.meanLoss(), h.accuracy());
    }
    return h;
  }

  private static Map<String, Object> provenance(JavaSparkContext sc, JobSettings s,
      JobData<?> data, int partitions) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("sparkLstm", TrainJob.class.getPackage().getImplementationVersion() == null ? "dev"
        : TrainJob.class.getPackage().getImplementationVersion());
    p.put("spark", sc.version());
    p.put("java", System.getProperty("java.version"));
    p.put("seed", Long.toString(s.getSeed()));
    p.put("partitions", partitions);
    p.put("data", data.fingerprint());
    return p;
  }

  /**
   * The command that resumes this run: the user's own command line (jobs/lib.sh passes it as
   * SPARKLSTM_COMMAND) or, run otherwise, jobs/train with the job's arguments; plus --resume.
   */
  static String resumeCommand(List<String> argv) {
    String given = System.getenv("SPARKLSTM_COMMAND");
    String command = given != null && !given.isBlank() ? given.strip()
        : "jobs/train " + String.join(" ", argv.stream().map(TrainJob::quoted).toList());
    return argv.contains("--resume") ? command : command + " --resume";
  }

  private static String quoted(String arg) {
    return arg.matches("[A-Za-z0-9_./=:,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }
}
