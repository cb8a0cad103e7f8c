package io.sparklstm.ml;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparklstm.cli.JobConfig;
import io.sparklstm.cli.Main;
import io.sparklstm.io.SavedModel;
import io.sparklstm.ml.param.JobSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LstmClassifier as a spark.ml user meets it: in a Pipeline after RegexTokenizer and
 * StringIndexer, read by spark.ml's evaluators, tuned by CrossValidator, and, given the jobs'
 * settings, training the jobs' model bit for bit.
 */
class LstmClassifierTest {
  /** What every run here sets on top of conf/text-classifier.conf. */
  static final List<String> SETTINGS = List.of("vocab.min.count=1", "model.embedding=8",
      "model.hidden=16", "train.epochs=4", "train.batch=16", "optim.lr=0.01",
      "spark.partitions=2", "average.every=5");
  /** What the jobs and the pipeline must both reach on the held-out texts. */
  static final double ACCURACY = 0.95;

  @TempDir
  static Path dir;
  static List<String[]> train;
  static List<String[]> test;
  static Path trainCsv;
  static double jobAccuracy;
  static float[] jobParams;
  /** Both directions and max pooling, on top of SETTINGS. */
  static final List<String> BI = List.of("model.bidirectional=true", "model.pooling=max");
  static double biJobAccuracy;
  static float[] biJobParams;
  static SparkSession spark;

  /** The jobs' runs first: each starts and stops its own Spark context. */
  @BeforeAll
  static void trainWithTheJob() throws Exception {
    train = MlTests.spamTexts(600, 1);
    test = MlTests.spamTexts(300, 2);
    trainCsv = csv("train.csv", train);
    csv("test.csv", test);
    Path out = trainJob("job", SETTINGS);
    jobAccuracy = lastAccuracy(out);
    jobParams = params(out);
    Path bi = trainJob("job-bi", concat(concat(SETTINGS, BI.get(0)), BI.get(1)));
    biJobAccuracy = lastAccuracy(bi);
    biJobParams = params(bi);
    spark = MlTests.session();
  }

  /** jobs/train on conf/text-classifier.conf with {@code sets}, into {@code dir/name}. */
  private static Path trainJob(String name, List<String> sets) {
    Path out = dir.resolve(name);
    List<String> args = new ArrayList<>(List.of("train", "--conf", "conf/text-classifier.conf",
        "--out", out.toString(), "--set", "data.train=" + trainCsv, "--set",
        "data.validation=" + dir.resolve("test.csv")));
    sets.forEach(s -> args.addAll(List.of("--set", s)));
    assertEquals(0, Main.run(args.toArray(new String[0])), "jobs/train");
    return out;
  }

  /** The held-out accuracy after a run's last epoch, as the job evaluated it. */
  private static double lastAccuracy(Path run) throws Exception {
    List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
    JsonNode last = new ObjectMapper().readTree(metrics.get(metrics.size() - 1));
    assertEquals("accuracy", last.get("metric").asText());
    return last.get("validationAccuracy").asDouble();
  }

  private static float[] params(Path run) throws Exception {
    return SavedModel.read(run.resolve("model/model.bin").toString(), new Configuration())
        .state().model().params();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  /** Texts with the class ids StringIndexer gives them: ham (the more frequent) 0, spam 1. */
  static Path csv(String name, List<String[]> rows) throws Exception {
    StringBuilder s = new StringBuilder("text,label\n");
    for (String[] r : rows) {
      s.append('"').append(r[0]).append("\",").append(r[1].equals("spam") ? 1 : 0).append('\n');
    }
    return Files.writeString(dir.resolve(name), s.toString());
  }

  /** The job's settings, read from its conf file, on a new classifier. */
  static LstmClassifier withJobSettings(String featuresCol) throws Exception {
    JobConfig cfg = JobConfig.load(Path.of("conf/text-classifier.conf"), concat(SETTINGS,
        "data.train=" + trainCsv));
    JobSettings settings = JobSettings.fromConf(cfg.asMap(), "conf/text-classifier.conf");
    return settings.copyValues(new LstmClassifier().setFeaturesCol(featuresCol),
        ParamMap.empty());
  }

  private static List<String> concat(List<String> a, String b) {
    List<String> out = new ArrayList<>(a);
    out.add(b);
    return out;
  }

  @Test
  void aPipelineWithStringLabelsReachesTheJobsAccuracy() throws Exception {
    LstmClassifier lstm = withJobSettings("words");
    lstm.clear(lstm.classes()); // from StringIndexer's label metadata instead
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new RegexTokenizer().setInputCol("text").setOutputCol("words"),
        new StringIndexer().setInputCol("category").setOutputCol("label"), lstm});
    PipelineModel model = pipeline.fit(MlTests.frame(spark, train));
    assertEquals("ham", ((StringIndexerModel) model.stages()[1]).labelsArray()[0][0],
        "the jobs' CSV holds the same class ids");
    LstmClassificationModel fitted = (LstmClassificationModel) model.stages()[2];
    assertEquals(2, fitted.numClasses());

    Dataset<Row> scored = model.transform(MlTests.frame(spark, test));
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(scored);
    double auc = new BinaryClassificationEvaluator().evaluate(scored);
    System.out.printf("held-out accuracy: jobs/train %.4f, Pipeline %.4f (area under ROC %.4f)%n",
        jobAccuracy, accuracy, auc);
    assertTrue(jobAccuracy >= ACCURACY, "jobs/train reached " + jobAccuracy);
    assertTrue(accuracy >= ACCURACY, "the pipeline reached " + accuracy);
    assertTrue(auc >= ACCURACY, "area under ROC " + auc);
    assertTrue(fitted.summary().rounds().size() >= 4, "a round per averaging, 4 epochs");
  }

  @Test
  void theJobsSettingsOnTheJobsDataTrainTheJobsModelBitForBit() throws Exception {
    Dataset<Row> csv = spark.read().option("header", "true").option("multiLine", "true")
        .csv(trainCsv.toString()).withColumn("label", col("label").cast("double"));
    LstmClassificationModel model = withJobSettings("text").fit(csv);
    assertEquals("word", model.getVocabLevel());
    assertArrayEquals(jobParams, model.parameters());
  }

  /**
   * With both directions and max pooling the pipeline scores the held-out texts as the job's
   * evaluation does: transform reads what the head reads (the pooled states of both directions),
   * not the forward direction's last state.
   */
  @Test
  void aBidirectionalMaxPooledModelScoresAsTheJobEvaluatesIt() throws Exception {
    JobConfig cfg = JobConfig.load(Path.of("conf/text-classifier.conf"),
        concat(concat(concat(SETTINGS, BI.get(0)), BI.get(1)), "data.train=" + trainCsv));
    LstmClassifier lstm = JobSettings.fromConf(cfg.asMap(), "bi")
        .copyValues(new LstmClassifier().setFeaturesCol("text"), ParamMap.empty());
    LstmClassificationModel model = lstm.fit(readCsv(trainCsv));
    assertArrayEquals(biJobParams, model.parameters(), "the job's model");
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(model.transform(readCsv(dir.resolve("test.csv"))));
    assertEquals(biJobAccuracy, accuracy, 1e-6, "held-out accuracy: the job's and transform's");
  }

  private static Dataset<Row> readCsv(Path csv) {
    return spark.read().option("header", "true").option("multiLine", "true")
        .csv(csv.toString()).withColumn("label", col("label").cast("double"));
  }

  @Test
  void crossValidationPicksTheHiddenSizeThatCanSolveTheTask() {
    LstmClassifier lstm = new LstmClassifier().setFeaturesCol("words").setNumLayers(1)
        .setEpochs(5).setBatchSize(16).setLearningRate(0.03).setNumPartitions(2)
        .setAverageEvery(10);
    CrossValidator cv = new CrossValidator().setEstimator(lstm)
        .setEstimatorParamMaps(new ParamGridBuilder().addGrid(lstm.hiddenSize(), new int[] {1, 12})
            .build())
        .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
        .setNumFolds(2).setSeed(3);
    CrossValidatorModel chosen = cv.fit(MlTests.topics(spark, 600, 1));
    double[] metrics = chosen.avgMetrics();
    System.out.println("cross-validated accuracy for hidden sizes 1, 12: "
        + Arrays.toString(metrics));
    assertTrue(metrics[1] > metrics[0] + 0.3, Arrays.toString(metrics));
    LstmClassificationModel best = (LstmClassificationModel) chosen.bestModel();
    assertEquals(12, best.getHiddenSize());
    double heldOut = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(best.transform(MlTests.topics(spark, 300, 2)));
    assertTrue(heldOut >= 0.9, "held-out accuracy of the chosen model " + heldOut);
  }
}
