package io.sparklstm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparklstm.io.HadoopFiles;
import io.sparklstm.io.SavedModel;
import io.sparklstm.ml.Trainers;
import io.sparklstm.ml.param.JobSettings;
import io.sparklstm.spark.SparkTrainer;
import io.sparklstm.train.HeldOut;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code evaluate --model DIR/model --data PATH [--labels PATH] [--out FILE.json [--overwrite]]
 * [--beam K]}:
 * the distributed metrics of a saved model on a dataset, as a table and as JSON; the model's task
 * reads the data and evaluates it.
 */
final class EvaluateJob {
  static final String HELP = """
      Usage: jobs/evaluate --model DIR/model --data PATH [--labels PATH] [--out FILE.json
                           [--overwrite]] [--beam K]
        --model     a model directory written by jobs/train (or its model.bin), or a language
                    model saved by LstmTextModel.write().save(path)
        --data      data in the model's training format (text, IDX images, CSV, Parquet or
                    class directories), any Hadoop path
        --labels    IDX labels, for an IDX classifier
        --out       also write the metrics as JSON (never over a model or checkpoint)
        --beam      seq2seq: decode with a beam of this width (1: greedy; default: the
                    model's decode.beam)
        --overwrite replace an existing --out file""";

  private static final ObjectMapper JSON = new ObjectMapper();

  private EvaluateJob() {}

  static void run(List<String> argv) throws Exception {
    Args a = Args.parse(argv, Set.of("--model", "--data", "--labels", "--out", "--beam"),
        Set.of("--overwrite"));
    String out = a.get("--out", null);
    try (JavaSparkContext sc = new JavaSparkContext(Main.sparkConf("evaluate"))) {
      if (out != null) {
        HadoopFiles.checkOutputFile("--out", out, a.flag("--overwrite"),
            sc.hadoopConfiguration());
      }
      String path = a.required("--model");
      String seq2seq = Seq2SeqJobs.modelFile(path, sc.hadoopConfiguration());
      if (seq2seq != null) {
        Seq2SeqJobs.evaluate(sc, seq2seq, a.required("--data"), out, a.integer("--beam", 0));
        return;
      }
      SavedModel model = GenerateJob.readModel(path, sc.hadoopConfiguration());
      JobSettings s = JobSettings.fromConf(model.config(), path);
      if (model.classes() != null && !s.isSet(s.dataFormat())) {
        throw new JobConfig.ConfigException("--model " + path + " is a classifier saved by the "
            + "spark.ml API, which reads a DataFrame column, not files; evaluate it with its "
            + "transform and MulticlassClassificationEvaluator");
      }
      JobData<?> data = JobData.evaluation(sc, s, model, a.required("--data"),
          a.get("--labels", null));
      SparkTrainer trainer = Trainers.trainer(sc, s, model.spec(), data.window(s),
          s.getNumPartitions());
      HeldOut h = data.evaluate(trainer, model.state().model());
      System.out.print(h.table(model.classes()));
      if (out != null) {
        HadoopFiles.writeAtomically(out, (JSON.writeValueAsString(h.report(model.classes()))
            + "\n").getBytes(StandardCharsets.UTF_8), sc.hadoopConfiguration());
        System.out.println("Metrics written to " + out);
      }
    }
  }
}
