package io.sparklstm.cli;

import static io.sparklstm.ml.param.JobParams.DATA_FORMAT;
import static io.sparklstm.ml.param.JobParams.TASK;
import static io.sparklstm.ml.param.JobParams.TRAIN_PATH;
import static io.sparklstm.ml.param.JobParams.VALIDATION_PATH;
import static io.sparklstm.ml.param.ModelParams.INPUT_KIND;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparklstm.data.Tokenizer;
import io.sparklstm.io.DataFiles;
import io.sparklstm.io.HadoopFiles;
import io.sparklstm.ml.LstmClassificationModel;
import io.sparklstm.ml.LstmClassifier;
import io.sparklstm.ml.param.JobSettings;
import io.sparklstm.ml.param.Setting;
import io.sparklstm.spark.TableSource;
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
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code bench-classify --conf FILE [--set key=value]... [--out FILE [--overwrite]]}: the LSTM
 * classifier of a job configuration against two MLlib baselines, trained on its
 * {@code data.train} and scored on its {@code data.validation}, both read once by the jobs'
 * readers and handed to every method as the same cached rows. The LSTM trains through the
 * spark.ml {@link LstmClassifier} with the configuration's settings (the same model jobs/train
 * trains); the baselines ({@link TextBaselines}) read what the LSTM reads: each text's first
 * {@code text.max.length} tokens as the configuration's tokenizer splits (and lower-cases) it.
 */
final class BenchClassifyJob {
  static final String HELP = """
      Usage: jobs/bench-classify --conf FILE [--set key=value]... [--out FILE [--overwrite]]
        --conf FILE     a classification job's configuration (as for jobs/train): text in csv,
                        parquet or labelled-dirs, with data.validation as the held-out set
        --set key=value override one configuration key (repeatable)
        --out FILE      also write the table: JSON if FILE ends in .json, else CSV
        --overwrite     replace an existing --out file
      Trains and evaluates, on the same rows: the LSTM classifier of the configuration; word
      counts into a logistic regression (MLlib RegexTokenizer, CountVectorizer,
      LogisticRegression); character 1- to 4-grams into a logistic regression (NGram). Each
      baseline reads what the LSTM reads (every text's first text.max.length tokens) and picks
      its L2 penalty from 1e-4, 1e-3, 1e-2, 1e-1 on the training rows alone. Prints held-out
      accuracy, macro F1 and the seconds each method took to train and evaluate.""";

  private BenchClassifyJob() {}

  /** One method's held-out figures. */
  record Result(String method, double accuracy, double macroF1, double seconds, long heldOut,
      String notes) {}

  static void run(List<String> argv) throws Exception {
    Args a = Args.parse(argv, Set.of("--conf", "--out", "--set"), Set.of("--overwrite"));
    String confFile = a.required("--conf");
    JobConfig cfg = JobConfig.load(Path.of(confFile), a.all("--set"));
    requireTextClassifier(cfg);
    String out = a.get("--out", null);
    try (SparkSession spark = SparkSession.builder()
        .config(Main.sparkConf("bench-classify")).getOrCreate()) {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      if (out != null) {
        HadoopFiles.checkOutputFile("--out", out, a.flag("--overwrite"),
            sc.hadoopConfiguration());
      }
      List<Result> results = bench(spark, cfg, confFile);
      String table = table(results);
      System.out.print(table);
      if (out != null) {
        String text = out.endsWith(".json") ? json(results) : csv(results);
        HadoopFiles.writeAtomically(out, text.getBytes(StandardCharsets.UTF_8),
            sc.hadoopConfiguration());
        System.out.println("Table written to " + out);
      }
    }
  }

  /** The checks jobs/train would make later, and what the baselines need: texts to count. */
  private static void requireTextClassifier(JobConfig cfg) {
    JobSettings s = cfg.settings();
    String format = s.getDataFormat();
    if (!s.getTask().equals("classification")) {
      throw new JobConfig.ConfigException("bench-classify compares classifiers: "
          + TASK.confKey() + " = " + s.getTask() + " needs to be classification");
    }
    if (!List.of("csv", "parquet", "labelled-dirs").contains(format)
        || s.getInputKind().equals("dense")) {
      throw new JobConfig.ConfigException("bench-classify compares text classifiers: "
          + DATA_FORMAT.confKey() + " = " + format + ", " + INPUT_KIND.confKey() + " = "
          + s.getInputKind() + " holds no text for the baselines; expected csv, parquet or "
          + "labelled-dirs text");
    }
    if (HeldOutChoices.judging(s) != null) { // silently ignored, it would report the last model
      throw new JobConfig.ConfigException("bench-classify trains spark.ml's LstmClassifier, "
          + "which keeps its last model and never stops early: " + HeldOutChoices.judging(s)
          + " is for jobs/train; leave it out here");
    }
    if (s.getValidationPath().isEmpty()) {
      throw new JobConfig.ConfigException("bench-classify needs " + VALIDATION_PATH.confKey()
          + ", the held-out texts every method is scored on (data in the format of "
          + TRAIN_PATH.confKey() + ")");
    }
  }

  static List<Result> bench(SparkSession spark, JobConfig cfg, String origin)
      throws IOException {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JobSettings s = cfg.settings();
    List<String> classes = JobData.classNames(sc, s.getDataFormat(), s.getTrainPath(),
        s.getClasses());
    Tokenizer tokenizer = s.textTokenizer();
    int maxLength = s.getMaxLength();
    Dataset<Row> train = rows(spark, sc, s, TRAIN_PATH, classes, tokenizer, maxLength);
    Dataset<Row> test = rows(spark, sc, s, VALIDATION_PATH, classes, tokenizer, maxLength);
    long trainRows = train.count(); // read and cached before any method's clock starts
    long testRows = test.count();
    System.out.printf(Locale.ROOT, "%,d training and %,d held-out texts, %d classes; every "
        + "method reads each text's first %d %s%n", trainRows, testRows, classes.size(),
        maxLength, tokenizer.words() ? "words" : "characters");
    long seed = s.getSeed();
    List<Result> results = new ArrayList<>();
    results.add(timed("LSTM (" + origin + ")", classes.size(), () -> {
      LstmClassifier lstm = s.copyValues(new LstmClassifier().setFeaturesCol("text"),
          ParamMap.empty());
      LstmClassificationModel model = lstm.fit(train);
      return new Scored(model.transform(test), String.format(Locale.ROOT,
          "%d epochs, %d rounds", lstm.getEpochs(), model.summary().rounds().size()));
    }));
    results.add(timed("bag of words + logistic regression", classes.size(), () -> {
      TextBaselines.Fitted f = TextBaselines.bagOfWords(train, test, "seen", seed);
      return new Scored(f.predictions(), f.notes());
    }));
    results.add(timed("char 1-4-grams + logistic regression", classes.size(), () -> {
      TextBaselines.Fitted f = TextBaselines.charNgrams(train, test, "seen", seed);
      return new Scored(f.predictions(), f.notes());
    }));
    train.unpersist();
    test.unpersist();
    return results;
  }

  /** A method's predictions of the held-out rows (columns label and prediction). */
  private record Scored(Dataset<Row> predictions, String notes) {}

  /** Runs a method and scores its predictions; the time covers training and scoring. */
  private static Result timed(String method, int classes, Supplier<Scored> run) {
    System.out.println("Training " + method + " ...");
    long began = System.nanoTime();
    Scored s = run.get();
    Evaluation e = new Evaluation(classes);
    for (Row r : s.predictions().groupBy("label", "prediction").count().collectAsList()) {
      e.record((int) r.getDouble(0), (int) r.getDouble(1), r.getLong(2));
    }
    double seconds = (System.nanoTime() - began) / 1e9;
    long total = Arrays.stream(e.confusion()).flatMapToLong(Arrays::stream).sum();
    return new Result(method, e.accuracy(), e.macroF1(), seconds, total, s.notes());
  }

  /**
   * The labelled texts {@code key} names, checked and read as the jobs read them, cached:
   * columns text, label (the class id as a double, as spark.ml wants it) and seen (the part of
   * the text the LSTM reads).
   */
  private static Dataset<Row> rows(SparkSession spark, JavaSparkContext sc, JobSettings s,
      Setting.Texts key, List<String> classes, Tokenizer tokenizer, int maxLength)
      throws IOException {
    String format = s.getDataFormat();
    DataFiles.check(sc.hadoopConfiguration(), key.confKey(), key.get(s), format);
    JavaRDD<Row> rows = TableSource.texts(sc, format, key.get(s), classes)
        .map(t -> RowFactory.create(t.text(), (double) t.label(),
            prefix(t.text(), tokenizer, maxLength)));
    StructType schema = new StructType().add("text", DataTypes.StringType)
        .add("label", DataTypes.DoubleType).add("seen", DataTypes.StringType);
    return spark.createDataFrame(rows, schema).cache();
  }

  /** The first {@code n} tokens of a text as the LSTM's vocabulary splits it. */
  static String prefix(String text, Tokenizer tokenizer, int n) {
    List<String> tokens = tokenizer.tokens(text);
    return String.join(tokenizer.words() ? " " : "", tokens.subList(0, Math.min(n,
        tokens.size())));
  }

  static String table(List<Result> results) {
    StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%-40s %9s %9s %9s  %s%n",
        "method", "accuracy", "macro F1", "seconds", "notes"));
    for (Result r : results) {
      t.append(String.format(Locale.ROOT, "%-40s %9.4f %9.4f %9.1f  %s%n", r.method(),
          r.accuracy(), r.macroF1(), r.seconds(), r.notes()));
    }
    return t.toString();
  }

  static String csv(List<Result> results) {
    StringBuilder c = new StringBuilder("method,accuracy,macro_f1,seconds,held_out,notes\n");
    for (Result r : results) {
      c.append(String.format(Locale.ROOT, "%s,%.6f,%.6f,%.3f,%d,%s%n", quoted(r.method()),
          r.accuracy(), r.macroF1(), r.seconds(), r.heldOut(), quoted(r.notes())));
    }
    return c.toString();
  }

  static String json(List<Result> results) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Result r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", r.method());
      m.put("accuracy", r.accuracy());
      m.put("macroF1", r.macroF1());
      m.put("seconds", r.seconds());
      m.put("heldOut", r.heldOut());
      m.put("notes", r.notes());
      rows.add(m);
    }
    return new ObjectMapper().writeValueAsString(rows) + "\n";
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
