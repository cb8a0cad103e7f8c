package io.sparklstm.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.optim.BlockMomentum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Save and load in spark.ml's layout, for the estimator, the fitted model and a PipelineModel
 * holding it: the same predictions and probabilities bit for bit; an existing path is kept
 * unless overwrite() is asked for; a damaged file fails naming itself.
 */
class ModelPersistenceTest {
  @TempDir
  static Path dir;
  static SparkSession spark;
  static Pipeline pipeline;
  static PipelineModel fitted;
  static Dataset<Row> test;

  @BeforeAll
  static void fit() {
    spark = MlTests.session();
    LstmClassifier lstm = new LstmClassifier().setFeaturesCol("words").setInputKind("embedding")
        .setEmbeddingSize(8).setHiddenSize(8).setNumLayers(1).setEpochs(2).setBatchSize(16)
        .setLearningRate(0.01).setNumPartitions(2).setBlockMomentum(BlockMomentum.of(0.5));
    pipeline = new Pipeline().setStages(new PipelineStage[] {
        new RegexTokenizer().setInputCol("text").setOutputCol("words"),
        new StringIndexer().setInputCol("category").setOutputCol("label"), lstm});
    fitted = pipeline.fit(MlTests.frame(spark, MlTests.spamTexts(300, 1)));
    test = MlTests.frame(spark, MlTests.spamTexts(200, 2));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** (probability, rawPrediction, prediction) of every test row, in order. */
  static List<Row> scores(Dataset<Row> scored) {
    return scored.select("probability", "rawPrediction", "prediction").collectAsList();
  }

  static void assertSameScores(List<Row> expected, List<Row> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      for (int c = 0; c < 2; c++) {
        assertArrayEquals(((Vector) expected.get(i).get(c)).toArray(),
            ((Vector) actual.get(i).get(c)).toArray(), "row " + i);
      }
      assertEquals(expected.get(i).getDouble(2), actual.get(i).getDouble(2));
    }
  }

  @Test
  void theFittedModelRoundTripsBitForBitInSparksLayout() throws Exception {
    LstmClassificationModel model = (LstmClassificationModel) fitted.stages()[2];
    String path = dir.resolve("model").toString();
    model.write().save(path);
    LstmClassificationModel back = LstmClassificationModel.load(path);
    assertEquals(model.uid(), back.uid());
    assertEquals(model.extractParamMap().toString(), back.extractParamMap().toString());
    assertEquals(BlockMomentum.of(0.5), back.getBlockMomentum());
    assertArrayEquals(model.parameters(), back.parameters());
    Dataset<Row> words = fitted.stages()[1].transform(fitted.stages()[0].transform(test));
    assertSameScores(scores(model.transform(words)), scores(back.transform(words)));

    // Spark's own reader understands the metadata.
    DefaultParamsReader.Metadata m = DefaultParamsReader.loadMetadata(path, spark,
        LstmClassificationModel.class.getName());
    assertEquals(model.uid(), m.uid());
    assertEquals(spark.version(), m.sparkVersion());
    assertTrue(m.metadataJson().contains("\"hiddenSize\":8"), m.metadataJson());
    assertTrue(Files.isRegularFile(dir.resolve("model/data/model.bin")));

    IOException again = assertThrows(IOException.class, () -> model.write().save(path));
    assertTrue(again.getMessage().contains("already exists"), again.getMessage());
    model.copy(new org.apache.spark.ml.param.ParamMap()).setScoringBatchSize(7).write()
        .overwrite().save(path);
    assertEquals(7, LstmClassificationModel.load(path).getScoringBatchSize());
    try (Stream<Path> left = Files.list(dir)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().contains(".tmp-")));
    }
  }

  @Test
  void thePipelineModelAndTheUnfittedPipelineRoundTrip() throws Exception {
    String path = dir.resolve("pipeline-model").toString();
    fitted.write().save(path);
    PipelineModel back = PipelineModel.load(path);
    assertTrue(back.stages()[2] instanceof LstmClassificationModel);
    assertSameScores(scores(fitted.transform(test)), scores(back.transform(test)));

    String estimator = dir.resolve("pipeline").toString();
    pipeline.write().save(estimator);
    LstmClassifier lstm = (LstmClassifier) Pipeline.load(estimator).getStages()[2];
    LstmClassifier original = (LstmClassifier) pipeline.getStages()[2];
    assertEquals(original.uid(), lstm.uid());
    assertEquals(original.extractParamMap().toString(), lstm.extractParamMap().toString());
    assertEquals(8, lstm.getHiddenSize());
  }

  /** Every estimator, with settings of its own, loads back with the same Params. */
  @Test
  void everyEstimatorRoundTripsItsParams() throws Exception {
    List<org.apache.spark.ml.util.MLWritable> estimators = List.of(
        new LstmClassifier().setHiddenSize(12).setBidirectional(true),
        new LstmLanguageModel().setHiddenSize(12).setWindow(7).setBatchScope("all")
            .setBlockMomentum(BlockMomentum.sqrt()),
        new LstmTagger().setHiddenSize(12).setTokensCol("words"),
        new LstmSeq2Seq().setHiddenSize(12).setSourceTokens("chars").setAttention(false)
            .setBeam(4).setSourceCol("word"));
    List<java.util.function.Function<String, org.apache.spark.ml.param.Params>> loaders =
        List.of(LstmClassifier::load, LstmLanguageModel::load, LstmTagger::load,
            LstmSeq2Seq::load);
    for (int i = 0; i < estimators.size(); i++) {
      org.apache.spark.ml.param.Params e = (org.apache.spark.ml.param.Params) estimators.get(i);
      String path = dir.resolve("estimator-" + i).toString();
      estimators.get(i).save(path);
      org.apache.spark.ml.param.Params back = loaders.get(i).apply(path);
      assertEquals(e.getClass(), back.getClass());
      assertEquals(e.uid(), back.uid());
      assertEquals(e.extractParamMap().toString(), back.extractParamMap().toString());
      assertEquals(12, back.getOrDefault(back.getParam("hiddenSize")));
    }
    LstmLanguageModel lm = LstmLanguageModel.load(dir.resolve("estimator-1").toString());
    assertEquals(BlockMomentum.sqrt(), lm.getBlockMomentum());
    assertEquals("all", lm.getBatchScope());
  }

  @Test
  void aDamagedOrForeignModelFailsNamingTheFile() throws Exception {
    LstmClassificationModel model = (LstmClassificationModel) fitted.stages()[2];
    Path saved = dir.resolve("damaged");
    model.save(saved.toString());
    Path bin = saved.resolve("data/model.bin");
    byte[] bytes = Files.readAllBytes(bin);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(bin, bytes);
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> LstmClassificationModel.load(saved.toString()));
    assertTrue(e.getMessage().contains("model.bin is corrupt or truncated: checksum mismatch"),
        e.getMessage());

    Path estimator = dir.resolve("estimator");
    new LstmClassifier().save(estimator.toString());
    UncheckedIOException foreign = assertThrows(UncheckedIOException.class,
        () -> LstmClassificationModel.load(estimator.toString()));
    assertTrue(foreign.getMessage().contains("holds a io.sparklstm.ml.LstmClassifier, not a "
        + "io.sparklstm.ml.LstmClassificationModel"), foreign.getMessage());
    assertNotEquals(null, LstmClassifier.load(estimator.toString()));
    assertFalse(Files.exists(dir.resolve("nothing")));
    UncheckedIOException missing = assertThrows(UncheckedIOException.class,
        () -> LstmClassifier.load(dir.resolve("nothing").toString()));
    assertTrue(missing.getMessage().contains("is not a saved spark.ml stage"),
        missing.getMessage());
  }
}
