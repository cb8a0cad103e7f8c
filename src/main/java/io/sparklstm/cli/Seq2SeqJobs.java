package io.sparklstm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparklstm.data.Pair;
import io.sparklstm.io.HadoopFiles;
import io.sparklstm.io.Seq2SeqModelFile;
import io.sparklstm.ml.Seq2SeqTraining;
import io.sparklstm.ml.Trainers;
import io.sparklstm.ml.param.JobSettings;
import io.sparklstm.nn.Seq2SeqSpec;
import io.sparklstm.spark.PairSource;
import io.sparklstm.spark.PairSource.Splitter;
import io.sparklstm.spark.PairSource.TokenPair;
import io.sparklstm.spark.Seq2SeqData;
import io.sparklstm.spark.Seq2SeqTask;
import io.sparklstm.spark.SparkTrainer;
import io.sparklstm.train.HeldOut;
import io.sparklstm.train.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code task = seq2seq} in the jobs: training on pairs ({@code jobs/train}), their held-out
 * figures ({@code jobs/evaluate}); {@link TranslateJob} decodes with the model file written here
 * ({@code DIR/model/seq2seq.safetensors}). A run has a log ({@code metrics.jsonl}) and a model;
 * checkpoints and {@code --resume} are not implemented for this task yet.
 */
final class Seq2SeqJobs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Seq2SeqJobs() {}

  /** Trains the pairs of the job's data settings and writes the run's model. */
  static void train(JavaSparkContext sc, JobConfig cfg, RunDirectory run, boolean resume)
      throws IOException {
    JobSettings s = cfg.settings();
    if (resume) {
      throw new JobConfig.ConfigException("--resume: task = seq2seq writes no checkpoints yet; "
          + "train again without --resume");
    }
    Seq2SeqTraining.check(s);
    Configuration hconf = sc.hadoopConfiguration();
    Splitter sourceSplit = new Splitter(s.getSourceTokens());
    Splitter targetSplit = new Splitter(s.getTargetTokens());
    JavaRDD<TokenPair> trainText = PairSource.read(sc, s.getDataFormat(), s.getTrainPath(),
        sourceSplit, targetSplit).cache();
    Seq2SeqTraining t = Seq2SeqTraining.of(sc, s, trainText, s.getValidationPath().isEmpty()
        ? null : PairSource.read(sc, s.getDataFormat(), s.getValidationPath(), sourceSplit,
            targetSplit));
    Seq2SeqSpec spec = t.spec();
    Seq2SeqData.Setup setup = t.train().setup();
    System.out.printf("seq2seq: %d training pairs, %d source and %d target tokens, sources up "
        + "to %d and targets up to %d tokens, %d parameters%n", t.train().pairs().count(),
        t.source().size(), t.target().size(), setup.maxSource(), setup.maxTarget() - 1,
        new io.sparklstm.nn.ParamLayout(spec).size());
    SparkTrainer trainer = t.trainer();
    RunLog log = new RunLog(run.dir(), hconf, List.of(), trainer.config().partitions());
    long began = System.nanoTime();
    TrainingState end = t.run((record, next) -> {
      log.round(record, began, s.getEpochs());
      try {
        if (next.round() == 0 && t.held() != null) {
          HeldOut h = trainer.evaluate(Seq2SeqTask.SEQ2SEQ, next.model(), t.held());
          log.epoch(record.epoch(), h.metricName(), h.metric(), h.meanLoss(),
              h.accuracy(), null);
          System.out.print(h.table(List.of()));
        }
        run.lock().check();
        log.flush(cfg.asMap());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    String file = modelDir(run) + "/" + Seq2SeqModelFile.NAME;
    new Seq2SeqModelFile(spec, t.source(), t.target(), sourceSplit.how(), targetSplit.how(),
        cfg.asMap(), end.model().params()).write(file, hconf);
    log.flush(cfg.asMap());
    System.out.println("Model written to " + file);
  }

  private static String modelDir(RunDirectory run) {
    return run.dir() + "/model";
  }

  /**
   * The seq2seq model at {@code path} (its file, a run's model directory, the run directory or
   * a saved {@code LstmSeq2SeqModel}), or null when there is none (another task's model).
   */
  static String modelFile(String path, Configuration conf) throws IOException {
    Path given = new Path(path);
    FileSystem fs = given.getFileSystem(conf);
    for (Path p : List.of(given, new Path(given, Seq2SeqModelFile.NAME),
        new Path(given, "model/" + Seq2SeqModelFile.NAME),
        new Path(given, "data/" + Seq2SeqModelFile.NAME))) {
      if (fs.isFile(p) && p.getName().endsWith(".safetensors")) {
        return p.toString();
      }
    }
    return null;
  }

  /** {@code jobs/evaluate} of a seq2seq model: the held-out table, and JSON to {@code out}. */
  static void evaluate(JavaSparkContext sc, String file, String dataPath, String out, int beam)
      throws IOException {
    Configuration hconf = sc.hadoopConfiguration();
    Seq2SeqModelFile model = Seq2SeqModelFile.read(file, hconf);
    JobSettings s = JobSettings.fromConf(model.config(), file);
    JavaRDD<Pair> pairs = Seq2SeqTraining.encode(PairSource.read(sc, s.getDataFormat(), dataPath,
        new Splitter(model.sourceSplit()), new Splitter(model.targetSplit())), model.source(),
        model.target()).cache();
    int[] longest = Seq2SeqTraining.longest(pairs);
    Seq2SeqData.Setup setup = new Seq2SeqData.Setup(model.spec(), longest[0], longest[1] + 1,
        beam > 0 ? beam : s.getBeam(), s.getLengthAlpha(), s.getDecodeMaxLength());
    SparkTrainer trainer = Trainers.trainer(sc, s, setup.decoderShape(), setup.maxTarget(),
        s.getNumPartitions());
    long start = System.nanoTime();
    TrainingState state = Seq2SeqTask.initialState(trainer.config(), setup);
    HeldOut h = trainer.evaluate(Seq2SeqTask.SEQ2SEQ, new io.sparklstm.train.ModelSnapshot(
        model.params(), state.model().optimizerState(), 0, java.util.Map.of()),
        new Seq2SeqData(pairs, setup));
    System.out.print(h.table(List.of()));
    System.out.printf(java.util.Locale.ROOT, "decoded with %s in %.1f s%n", setup.beam() == 1
        ? "greedy search" : "a beam of " + setup.beam(), (System.nanoTime() - start) / 1e9);
    if (out != null) {
      HadoopFiles.writeAtomically(out, (JSON.writeValueAsString(h.report(List.of())) + "\n")
          .getBytes(StandardCharsets.UTF_8), hconf);
      System.out.println("Metrics written to " + out);
    }
  }
}
