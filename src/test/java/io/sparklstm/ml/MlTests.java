package io.sparklstm.ml;

import io.sparklstm.nn.Rng;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Shared by the spark.ml tests: a local[2] session and generated labelled texts. */
final class MlTests {
  private MlTests() {}

  /** A local[2] session on 127.0.0.1 without UI; small shuffles, as the tests' data is small. */
  static SparkSession session() {
    return SparkSession.builder().master("local[2]").appName("spark-lstm-ml-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  static final String[] PLAIN = {"meeting", "tomorrow", "lunch", "report", "team", "notes",
      "call", "project", "review"};
  static final String[] SPAM = {"free", "winner", "prize", "cash", "offer"};

  /**
   * {@code n} lower-case texts labelled "spam" (one spam word somewhere among plain words) or
   * "ham" (plain words only); about a third are spam, so StringIndexer maps ham to 0.
   */
  static List<String[]> spamTexts(int n, long seed) {
    Rng rng = new Rng(seed);
    List<String[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean spam = rng.nextInt(3) == 0;
      int len = 4 + rng.nextInt(8);
      int at = spam ? rng.nextInt(len) : -1;
      StringBuilder t = new StringBuilder();
      for (int w = 0; w < len; w++) {
        t.append(w == 0 ? "" : " ").append(w == at ? SPAM[rng.nextInt(SPAM.length)]
            : PLAIN[rng.nextInt(PLAIN.length)]);
      }
      out.add(new String[] {t.toString(), spam ? "spam" : "ham"});
    }
    return out;
  }

  static final String[] FILLER = {"the", "a", "of", "and", "to", "in"};
  static final String[] TOPICS = {"whale", "ship", "sea", "harpoon", "captain", "island"};

  /**
   * Token arrays whose first word names one of six topics (the label, 0..5), followed by 4 to
   * 11 filler words: the classifier must carry the first word to the end, which one LSTM unit
   * cannot do for six classes and twelve can.
   */
  static Dataset<Row> topics(SparkSession spark, int n, long seed) {
    Rng rng = new Rng(seed);
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int label = rng.nextInt(TOPICS.length);
      int len = 5 + rng.nextInt(8);
      List<String> words = new ArrayList<>(len);
      words.add(TOPICS[label]);
      for (int w = 1; w < len; w++) {
        words.add(FILLER[rng.nextInt(FILLER.length)]);
      }
      rows.add(RowFactory.create(words, (double) label));
    }
    return spark.createDataFrame(rows, new StructType()
        .add("words", DataTypes.createArrayType(DataTypes.StringType))
        .add("label", DataTypes.DoubleType));
  }

  /** Runs a job in this JVM; its exit code must be 0. Returns what it printed. */
  static String job(String... args) {
    java.io.PrintStream console = System.out;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    int code;
    try {
      code = io.sparklstm.cli.Main.run(args);
    } finally {
      System.setOut(console);
    }
    String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    console.print(printed);
    if (code != 0) {
      throw new AssertionError("jobs/" + args[0] + " exited with " + code);
    }
    return printed;
  }

  /** {@code estimator} with the settings of the conf file {@code conf}, as jobs/train reads it. */
  static <E extends org.apache.spark.ml.param.Params> E withConf(java.nio.file.Path conf,
      E estimator) throws java.io.IOException {
    return io.sparklstm.ml.param.JobSettings.fromConf(io.sparklstm.cli.JobConfig.load(conf,
        List.of()).asMap(), conf.toString()).copyValues(estimator,
        org.apache.spark.ml.param.ParamMap.empty());
  }

  /** Columns text (string) and category (string). */
  static Dataset<Row> frame(SparkSession spark, List<String[]> rows) {
    StructType schema = new StructType().add("text", DataTypes.StringType)
        .add("category", DataTypes.StringType);
    List<Row> r = new ArrayList<>(rows.size());
    rows.forEach(x -> r.add(RowFactory.create(x[0], x[1])));
    return spark.createDataFrame(r, schema);
  }
}
