package io.sparklstm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparklstm.data.Example;
import io.sparklstm.io.DataFiles;
import io.sparklstm.io.HadoopFiles;
import io.sparklstm.io.SavedModel;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.spark.IdxSource;
import io.sparklstm.spark.SparkTrainer;
import io.sparklstm.spark.TableSource;
import io.sparklstm.spark.TextSource;
import io.sparklstm.spark.TokenText;
import io.sparklstm.train.Evaluation;
import io.sparklstm.train.ModelSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code evaluate --model DIR/model --data PATH [--labels PATH] [--out FILE.json [--overwrite]]}:
 * the distributed metrics of a saved model on a dataset, as a table and as JSON.
 */
final class EvaluateJob {
  static final String HELP = """
      Usage: jobs/evaluate --model DIR/model --data PATH [--labels PATH] [--out FILE.json
                           [--overwrite]]
        --data      data in the model's training format (text, IDX images, CSV, Parquet or
                    class directories), any Hadoop path
        --labels    IDX labels, for an IDX classifier
        --out       also write the metrics as JSON (never over a model or checkpoint)
        --overwrite replace an existing --out file""";

  private static final ObjectMapper JSON = new ObjectMapper();

  private EvaluateJob() {}

  static void run(List<String> argv) throws Exception {
    Args a = Args.parse(argv, Set.of("--model", "--data", "--labels", "--out"),
        Set.of("--overwrite"));
    String out = a.get("--out", null);
    try (JavaSparkContext sc = new JavaSparkContext(Main.sparkConf("evaluate"))) {
      if (out != null) {
        HadoopFiles.checkOutputFile("--out", out, a.flag("--overwrite"),
            sc.hadoopConfiguration());
      }
      SavedModel model = SavedModel.read(GenerateJob.modelFile(a.required("--model")),
          sc.hadoopConfiguration());
      JobConfig cfg = JobConfig.of(model.config());
      String data = a.required("--data");
      boolean lm = model.spec().head() == io.sparklstm.nn.ModelSpec.HeadKind.EVERY_STEP;
      String format = lm ? "text" : cfg.string("data.format");
      DataFiles.check(sc.hadoopConfiguration(), "--data", data, format);
      SparkTrainer trainer = new SparkTrainer(sc, TrainJob.trainingConfig(cfg, model.spec()));
      ModelSnapshot m = model.state().model();
      String json;
      if (lm) {
        LossTotals t = trainer.evaluateLanguageModel(m,
            TokenText.of(TextSource.lines(sc, data).map(model.vocabulary()::encodeLine)));
        System.out.printf(Locale.ROOT, "%-16s %12s%n%-16s %12d%n%-16s %12.4f%n%-16s %12.4f%n"
                + "%-16s %12.4f%n%-16s %12.4f%n", "metric", "value", "tokens", t.count(),
            "loss (nats)", t.meanLoss(), "bits/token", t.bitsPerToken(), "perplexity",
            t.perplexity(), "accuracy", t.accuracy());
        json = String.format(Locale.ROOT, "{\"tokens\":%d,\"loss\":%.6f,\"bitsPerToken\":%.6f,"
            + "\"perplexity\":%.6f,\"accuracy\":%.6f}%n", t.count(), t.meanLoss(),
            t.bitsPerToken(), t.perplexity(), t.accuracy());
      } else {
        List<String> names = model.classes();
        int classes = names.size();
        if (format.equals("idx")) {
          DataFiles.check(sc.hadoopConfiguration(), "--labels", a.required("--labels"), "idx");
        }
        JavaRDD<Example> examples = switch (format) {
          case "idx" -> IdxSource.examples(sc, data, a.required("--labels"), classes,
              sc.defaultParallelism());
          default -> model.vocabulary() == null ? TableSource.features(sc, data, classes)
              : TableSource.encode(TableSource.texts(sc, format, data, names),
                  model.vocabulary(), cfg.integer("text.max.length"));
        };
        Evaluation e = trainer.evaluateClassifier(m, examples);
        StringBuilder j = new StringBuilder(String.format(Locale.ROOT,
            "{\"examples\":%d,\"loss\":%.6f,\"accuracy\":%.6f,\"classes\":[", e.loss().count(),
            e.loss().meanLoss(), e.loss().accuracy()));
        String name = "%" + Math.max(5, names.stream().mapToInt(String::length).max()
            .orElse(0)) + "s";
        System.out.printf(Locale.ROOT, "examples %d  loss %.4f  accuracy %.4f%n" + name
                + " %9s %9s %9s%n", e.loss().count(), e.loss().meanLoss(), e.loss().accuracy(),
            "class", "precision", "recall", "f1");
        for (int k = 0; k < e.classes(); k++) {
          System.out.printf(Locale.ROOT, name + " %9.4f %9.4f %9.4f%n", names.get(k),
              e.precision(k), e.recall(k), e.f1(k));
          j.append(String.format(Locale.ROOT, "%s{\"class\":%d,\"name\":%s,\"precision\":"
              + "%.6f,\"recall\":%.6f,\"f1\":%.6f}", k == 0 ? "" : ",", k,
              JSON.writeValueAsString(names.get(k)), e.precision(k), e.recall(k), e.f1(k)));
        }
        j.append("],\"confusion\":[");
        for (int k = 0; k < e.classes(); k++) {
          j.append(k == 0 ? "" : ",").append(java.util.Arrays.toString(e.confusion()[k])
              .replace(" ", ""));
        }
        json = j.append("]}\n").toString();
      }
      if (out != null) {
        HadoopFiles.writeAtomically(out, json.getBytes(StandardCharsets.UTF_8),
            sc.hadoopConfiguration());
        System.out.println("Metrics written to " + out);
      }
    }
  }
}
