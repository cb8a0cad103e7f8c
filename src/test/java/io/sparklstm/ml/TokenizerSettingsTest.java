package io.sparklstm.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.cli.JobConfig;
import io.sparklstm.data.Tokenizer;
import io.sparklstm.data.Tokenizer.Kind;
import io.sparklstm.data.Vocabulary;
import io.sparklstm.io.SavedModel;
import io.sparklstm.spark.TextSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text settings (tokenizer, pattern, lower-casing, vocabulary cap) from the conf file and
 * the Params to the vocabulary, and the tokenizer saved with the model: scoring splits text as
 * training did, in transform after a reload and in jobs/evaluate.
 */
class TokenizerSettingsTest {
  static final String PATTERN = "(?U)\\w+|[^\\w\\s]";
  @TempDir
  static Path dir;
  static SparkSession spark;

  static Path jobModel;
  static String evaluated;
  static String evaluatedShouted;

  /**
   * The jobs first (each starts and stops its own Spark context): jobs/train lower-casing with a
   * pattern, then jobs/evaluate on held-out texts as they are and shouted with extra dots.
   */
  @BeforeAll
  static void start() throws Exception {
    Path train = csv("train.csv", MlTests.spamTexts(200, 1), false);
    Path test = csv("test.csv", MlTests.spamTexts(100, 2), false);
    Path shouted = csv("shouted.csv", MlTests.spamTexts(100, 2), true);
    Path run = dir.resolve("run");
    MlTests.job("train", "--conf", "conf/text-classifier.conf", "--out", run.toString(),
        "--set", "data.train=" + train, "--set", "data.validation=" + test, "--set",
        "model.embedding=4", "--set", "model.hidden=6", "--set", "train.epochs=1", "--set",
        "spark.partitions=2", "--set", "text.lowercase=true", "--set", "text.tokenizer=regex",
        "--set", "text.tokenizer.pattern=[a-z]+", "--set", "vocab.min.count=1");
    jobModel = run.resolve("model");
    evaluated = MlTests.job("evaluate", "--model", jobModel.toString(), "--data", test.toString());
    evaluatedShouted = MlTests.job("evaluate", "--model", jobModel.toString(), "--data",
        shouted.toString());
    spark = MlTests.session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void aBadPatternOrASettingThatWouldBeIgnoredIsAOneLineErrorNamingTheKey() {
    String bad = error("vocab.level=word", "text.tokenizer=regex", "text.tokenizer.pattern=(a");
    assertEquals("--set text.tokenizer.pattern=(a: text.tokenizer.pattern = '(a' is invalid: "
        + "expected a non-empty Java regular expression that compiles", bad);
    assertEquals("tokenizer (text.tokenizer) = regex finds words; it needs vocabLevel "
        + "(vocab.level) = word (it is char)", error("text.tokenizer=regex"));
    assertEquals("tokenPattern (text.tokenizer.pattern) = '\\S+' is used by tokenizer "
        + "(text.tokenizer) = regex alone; it is whitespace",
        error("vocab.level=word", "text.tokenizer.pattern=\\S+"));
    assertEquals("--set vocab.max.size=-1: vocab.max.size = '-1' is invalid: expected an "
        + "integer in [0, 2147483647]", error("vocab.max.size=-1"));
    JobConfig ok = load("vocab.level=word", "text.tokenizer=regex", "text.lowercase=true");
    assertEquals(Tokenizer.of(Kind.REGEX, PATTERN, true), ok.settings().textTokenizer());
    assertEquals(Tokenizer.CHARS, load().settings().textTokenizer(), "the default");
    // The estimators refuse the same settings with the same message.
    LstmClassifier c = new LstmClassifier().setTokenizer("regex");
    assertEquals(error("text.tokenizer=regex"), assertThrows(IllegalArgumentException.class,
        c::textTokenizer).getMessage());
  }

  private static JobConfig load(String... sets) {
    List<String> all = new ArrayList<>(List.of(sets));
    all.add("data.train=x");
    try {
      return JobConfig.load(null, all);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String error(String... sets) {
    return assertThrows(JobConfig.ConfigException.class, () -> load(sets)).getMessage();
  }

  /** Counts summed over partitions, then the cap: the most frequent, equal counts by string. */
  @Test
  void theCapKeepsTheMostFrequentTokensOfTheWholeData() {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // b, c and d 3 times each, but split across the two partitions differently; a 4 times.
    List<String> lines = List.of("a a b c", "d d x", "a a b b", "c c d y");
    Vocabulary v = TextSource.vocabulary(sc.parallelize(lines, 2), Tokenizer.WHITESPACE, 1, 3);
    assertEquals(List.of("<unk>", "\n", "a", "b"), v.tokens(), "the newline (4) is a token too");
    Vocabulary all = TextSource.vocabulary(sc.parallelize(lines, 2), Tokenizer.WHITESPACE, 1, 0);
    assertEquals(List.of("<unk>", "\n", "a", "b", "c", "d", "x", "y"), all.tokens());
    Vocabulary lower = TextSource.vocabulary(sc.parallelize(List.of("ÀB àb", "ÀB"), 2),
        Tokenizer.of(Kind.CHARS, null, true), 1, 0);
    assertEquals(List.of("<unk>", "\n", " ", "b", "à"), lower.tokens());
  }

  private static Dataset<Row> texts(List<String[]> rows, boolean shout) {
    List<Row> out = new ArrayList<>();
    int i = 0;
    for (String[] r : rows) {
      String text = shout && i++ % 2 == 0 ? r[0].toUpperCase(Locale.ROOT) : r[0];
      out.add(RowFactory.create(text + ".", r[1].equals("spam") ? 1.0 : 0.0));
    }
    return spark.createDataFrame(out, new StructType().add("text", DataTypes.StringType)
        .add("label", DataTypes.DoubleType));
  }

  private static LstmClassifier classifier() {
    return new LstmClassifier().setFeaturesCol("text").setVocabLevel("word")
        .setInputKind("embedding").setEmbeddingSize(4).setHiddenSize(6).setNumLayers(1)
        .setEpochs(1).setBatchSize(16).setNumPartitions(2).setClasses(2);
  }

  /** A model trained lower-casing scores "FREE CASH" as "free cash", after a reload too. */
  @Test
  void aModelScoresWithTheTokenizerItWasTrainedWith() throws Exception {
    Dataset<Row> train = texts(MlTests.spamTexts(200, 1), true);
    LstmClassificationModel asIs = classifier().setTokenizer("regex").fit(train);
    assertTrue(asIs.vocabulary().contains("FREE") && asIs.vocabulary().contains("free")
        && asIs.vocabulary().contains("."), asIs.vocabulary().toString());
    // A token-array column comes split already: a regex tokenizer would be ignored, so it fails.
    Dataset<Row> tokens = train.withColumn("text", org.apache.spark.sql.functions.split(
        org.apache.spark.sql.functions.col("text"), " "));
    assertEquals("tokenizer (text.tokenizer) = regex splits text into words, but the items of "
        + "the array column 'text' come split already; remove it", assertThrows(
        IllegalArgumentException.class, () -> classifier().setTokenizer("regex").fit(tokens))
        .getMessage());
    classifier().setLowercase(true).fit(tokens); // lower-casing applies to such tokens
    LstmClassificationModel lower = classifier().setTokenizer("regex").setLowercase(true)
        .setVocabMaxSize(8).fit(train);
    // Nine plain words, five spam words and the full stop, capped at the 8 most frequent.
    assertEquals(9, lower.vocabulary().size(), lower.vocabulary().toString());
    assertTrue(lower.vocabulary().stream().allMatch(t -> t.equals(t.toLowerCase(Locale.ROOT))
        || t.equals(Vocabulary.UNKNOWN)), lower.vocabulary().toString());
    Path saved = dir.resolve("lower");
    lower.write().save(saved.toString());
    LstmClassificationModel back = LstmClassificationModel.load(saved.toString());
    back.set(back.lowercase(), false); // the Params say otherwise now: the saved tokenizer stays
    back.set(back.tokenizer(), "whitespace");
    assertEquals(Tokenizer.of(Kind.REGEX, PATTERN, true), SavedModel.read(saved
        .resolve("data/model.bin").toString(), new Configuration()).vocabulary().tokenizer());
    Dataset<Row> probe = spark.createDataFrame(List.of(
        RowFactory.create("free cash team.", 1.0), RowFactory.create("FREE CASH TEAM.", 1.0),
        RowFactory.create("Free Cash Team .", 1.0)), new StructType()
        .add("text", DataTypes.StringType).add("label", DataTypes.DoubleType));
    for (LstmClassificationModel m : List.of(lower, back)) {
      List<Row> p = m.setScoringBatchSize(1).transform(probe).select("probability")
          .collectAsList();
      for (Row r : p) {
        assertArrayEquals(p.get(0).<org.apache.spark.ml.linalg.Vector>getAs(0).toArray(),
            r.<org.apache.spark.ml.linalg.Vector>getAs(0).toArray(), 0.0);
      }
    }
    assertArrayEquals(lower.predictRaw("free cash").toArray(),
        back.predictRaw("FREE CASH").toArray(), 0.0);
  }

  /** jobs/train saves the tokenizer; jobs/evaluate splits shouted texts as the training did. */
  @Test
  void jobsEvaluateUsesTheSavedTokenizer() throws Exception {
    assertEquals(Tokenizer.of(Kind.REGEX, "[a-z]+", true), SavedModel.read(jobModel
        .resolve("model.bin").toString(), new Configuration()).vocabulary().tokenizer());
    assertTrue(evaluated.contains("accuracy"), evaluated);
    assertEquals(evaluated, evaluatedShouted);
  }

  private static Path csv(String name, List<String[]> rows, boolean shout) throws Exception {
    StringBuilder s = new StringBuilder("text,label\n");
    for (String[] r : rows) {
      String text = shout ? r[0].toUpperCase(Locale.ROOT).replace(" ", " ... ") : r[0];
      s.append('"').append(text).append("\",").append(r[1].equals("spam") ? 1 : 0).append('\n');
    }
    return Files.writeString(dir.resolve(name), s.toString());
  }
}
