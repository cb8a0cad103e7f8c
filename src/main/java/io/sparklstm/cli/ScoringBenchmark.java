package io.sparklstm.cli;

import io.sparklstm.ml.LstmClassificationModel;
import io.sparklstm.ml.LstmClassifier;
import io.sparklstm.ml.LstmLanguageModel;
import io.sparklstm.ml.LstmTextModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Batch-scoring throughput of the spark.ml models in Spark {@code local[2]}, rows generated on
 * the executors and written to Spark's no-op sink (nothing reaches the driver): the text
 * classifier (embedding 64, 1 x 128 LSTM, 5,000 words, texts of
 * 10 to 59 words) and the character model of conf/char-lm.conf (2 x 256 LSTM, lines of 20 to 99
 * characters), each with minibatches of 32 rows and with rows scored one by one. The weights
 * come from one averaging round (speed does not depend on them). Prints the median of
 * {@code -Drepeats=N} (5) timed passes after a warm-up, in rows/s and tokens/s.
 *
 * <p>Usage: {@code ScoringBenchmark [CLASSIFIER_ROWS [LM_ROWS]]} (100000, 20000).
 */
public final class ScoringBenchmark {
  private ScoringBenchmark() {}

  public static void main(String[] args) throws Exception {
    long texts = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
    long lines = args.length > 1 ? Long.parseLong(args[1]) : 20_000;
    int repeats = Integer.getInteger("repeats", 5);
    try (SparkSession spark = SparkSession.builder().master("local[2]")
        .appName("spark-lstm scoring benchmark").config("spark.ui.enabled", "false")
        .getOrCreate()) {
      System.out.println("CPU: " + cpu() + ", Spark local[2]");
      Dataset<Row> words = wordTexts(spark, texts);
      LstmClassificationModel classifier = new LstmClassifier().setFeaturesCol("words")
          .setInputKind("embedding").setEmbeddingSize(64).setHiddenSize(128).setNumLayers(1)
          .setNumPartitions(2).setMaxRounds(1).setMaxLength(200)
          .fit(words.limit(2_000).selectExpr("words", "cast(id % 2 as double) as label"));
      double tokensPerText = words.selectExpr("avg(size(words))").first().getDouble(0);
      for (int batch : new int[] {32, 1}) {
        classifier.setScoringBatchSize(batch);
        report("text classifier", batch, texts, tokensPerText, repeats,
            classifier::transform, words);
      }
      Dataset<Row> text = charLines(spark, lines);
      LstmTextModel lm = new LstmLanguageModel().setHiddenSize(256).setNumLayers(2)
          .setNumPartitions(2).setMaxRounds(1).setValidationFraction(0).fit(text.limit(2_000));
      double charsPerLine = text.selectExpr("avg(length(value)) + 1").first().getDouble(0);
      for (int batch : new int[] {32, 1}) {
        lm.setScoringBatchSize(batch);
        report("character LM", batch, lines, charsPerLine, repeats, lm::transform, text);
      }
    }
  }

  private static void report(String name, int batch, long rows, double tokensPerRow,
      int repeats, Function<Dataset<Row>, Dataset<Row>> model, Dataset<Row> data) {
    Dataset<Row> scored = model.apply(data);
    scored.write().format("noop").mode("overwrite").save(); // warm-up
    double[] seconds = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      long t0 = System.nanoTime();
      scored.write().format("noop").mode("overwrite").save();
      seconds[r] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(seconds);
    double median = seconds[repeats / 2];
    System.out.printf(Locale.ROOT, "%-16s scoringBatchSize %2d: %,9.0f rows/s %,11.0f tokens/s "
            + "(%,d rows of %.1f tokens, median of %d: %.2f s, range %.2f-%.2f s)%n", name,
        batch, rows / median, rows * tokensPerRow / median, rows, tokensPerRow, repeats, median,
        seconds[0], seconds[repeats - 1]);
  }

  /** Texts of 10 to 59 words from 5,000, made on the executors. */
  private static Dataset<Row> wordTexts(SparkSession spark, long n) {
    return spark.range(0, n, 1, 2).selectExpr("id", "transform(sequence(1, 10 + cast(pmod("
        + "id * 7919, 50) as int)), i -> concat('w', cast(pmod(id * 104729 + i * 7907, 5000) as"
        + " string))) as words");
  }

  /** Lines of 20 to 99 characters over 40 letters and signs, made on the executors. */
  private static Dataset<Row> charLines(SparkSession spark, long n) {
    return spark.range(0, n, 1, 2).selectExpr("concat_ws('', transform(sequence(1, 20 + cast("
        + "pmod(id * 7919, 80) as int)), i -> substr('abcdefghijklmnopqrstuvwxyz .,;:!?-ETAOIN',"
        + " cast(pmod(id * 31 + i * i * 17 + i, 40) as int) + 1, 1))) as value");
  }

  private static String cpu() throws Exception {
    List<String> info = new ArrayList<>(Files.readAllLines(Path.of("/proc/cpuinfo")));
    return info.stream().filter(l -> l.startsWith("model name")).findFirst()
        .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
  }
}
