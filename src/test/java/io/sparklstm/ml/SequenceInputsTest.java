package io.sparklstm.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.Rng;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dense sequence columns, and inputs an estimator refuses with a message naming the row. */
class SequenceInputsTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = MlTests.session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Steps of two features; the label is whether the first step's first feature is positive. */
  static Dataset<Row> dense(int n, long seed, boolean vectors) {
    Rng rng = new Rng(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = rng.nextInt(2);
      int len = 2 + rng.nextInt(5);
      List<Object> steps = new ArrayList<>();
      for (int t = 0; t < len; t++) {
        float a = t == 0 ? (label == 1 ? 1f : -1f) : (float) (rng.nextDouble() - 0.5);
        float b = (float) (rng.nextDouble() - 0.5);
        steps.add(vectors ? Vectors.dense(a, b) : List.of(a, b));
      }
      rows.add(RowFactory.create(steps, (double) label));
    }
    return spark.createDataFrame(rows, new StructType().add("steps", DataTypes.createArrayType(
        vectors ? SQLDataTypes.VectorType() : DataTypes.createArrayType(DataTypes.FloatType)))
        .add("label", DataTypes.DoubleType));
  }

  @Test
  void denseSequencesOfFloatsOrVectorsTrainAndScore() {
    LstmClassifier lstm = new LstmClassifier().setFeaturesCol("steps").setHiddenSize(8)
        .setNumLayers(1).setEpochs(4).setBatchSize(16).setLearningRate(0.02)
        .setNumPartitions(2).setAverageEvery(5);
    LstmClassificationModel model = lstm.fit(dense(400, 1, false));
    assertEquals(ModelSpec.InputKind.DENSE, model.spec().input());
    assertEquals(2, model.spec().inputSize());
    assertEquals("dense", model.getInputKind());
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator()
        .setMetricName("accuracy");
    double floats = accuracy.evaluate(model.transform(dense(200, 2, false)));
    assertTrue(floats >= 0.95, "accuracy " + floats);
    LstmClassificationModel fromVectors = lstm.fit(dense(400, 1, true));
    assertTrue(java.util.Arrays.equals(model.parameters(), fromVectors.parameters()),
        "vectors and float arrays are the same data");
  }

  @Test
  void badInputsFailNamingTheRowOrColumn() {
    StructType schema = new StructType().add("steps", DataTypes.createArrayType(
        DataTypes.createArrayType(DataTypes.FloatType))).add("label", DataTypes.DoubleType);
    Dataset<Row> ragged = spark.createDataFrame(List.of(
        RowFactory.create(List.of(List.of(1f, 2f), List.of(3f, 4f)), 0.0),
        RowFactory.create(List.of(List.of(1f, 2f), List.of(3f)), 1.0)), schema);
    LstmClassifier lstm = new LstmClassifier().setFeaturesCol("steps").setNumPartitions(1);
    expect("row 2 of the training data, column 'steps': step 2 has 1 features, expected 2",
        () -> lstm.fit(ragged));
    Dataset<Row> nan = spark.createDataFrame(List.of(
        RowFactory.create(List.of(List.of(1f, Float.NaN)), 0.0),
        RowFactory.create(List.of(List.of(1f, 2f)), 1.0)), schema);
    expect("feature 2 of step 1 is NaN", () -> lstm.fit(nan));
    Dataset<Row> nullStep = spark.createDataFrame(List.of(
        RowFactory.create(List.of(List.of(1f, 2f)), 0.0),
        RowFactory.create(java.util.Arrays.asList(List.of(1f, 2f), null), 1.0)), schema);
    expect("step 2 is null", () -> lstm.fit(nullStep));
    Dataset<Row> nullFeature = spark.createDataFrame(List.of(
        RowFactory.create(List.of(List.of(1f, 2f)), 0.0),
        RowFactory.create(List.of(java.util.Arrays.asList(1f, null)), 1.0)), schema);
    expect("feature 2 of step 1 is null", () -> lstm.fit(nullFeature));
    StructType tokens = new StructType().add("words", DataTypes.createArrayType(
        DataTypes.StringType)).add("label", DataTypes.DoubleType);
    expect("column 'words' holds a null token", () -> new LstmClassifier().setFeaturesCol("words")
        .setNumPartitions(1).fit(spark.createDataFrame(List.of(
            RowFactory.create(List.of("a", "b"), 0.0),
            RowFactory.create(java.util.Arrays.asList("a", null), 1.0)), tokens)));
    Dataset<Row> good = spark.createDataFrame(List.of(
        RowFactory.create(List.of(List.of(1f, 2f)), 0.0),
        RowFactory.create(List.of(List.of(2f, 1f)), 1.0)), schema);
    LstmClassificationModel fitted = lstm.setClasses(2).fit(good);
    fitted.set(fitted.thresholds(), new double[] {0.5, 0.2, 0.3});
    expect("thresholds has 3 values but the model has 2 classes",
        () -> fitted.transform(good).collectAsList());
    Dataset<Row> badLabel = spark.createDataFrame(List.of(
        RowFactory.create(List.of(List.of(1f, 2f)), 0.5),
        RowFactory.create(List.of(List.of(1f, 2f)), 1.0)), schema);
    expect("label 0.5", () -> lstm.setClasses(2).fit(badLabel));
    expect("column 'label' is int; expected string, array<string>, array<array<float>> or "
        + "array<vector>", () -> new LstmClassifier().setFeaturesCol("label")
        .fit(spark.range(4).selectExpr("cast(id as int) as label")));
    expect("inputKind = dense needs a column of dense sequences",
        () -> new LstmClassifier().setFeaturesCol("words").setInputKind("dense")
            .fit(MlTests.topics(spark, 10, 1)));
    expect("shorter than one window", () -> new LstmLanguageModel().setNumPartitions(1)
        .fit(spark.createDataset(List.of("call me ishmael."),
            org.apache.spark.sql.Encoders.STRING()).toDF("value")));
  }

  private static void expect(String message, Runnable r) {
    Throwable e = assertThrows(Exception.class, r::run);
    String all = e.toString() + (e.getCause() == null ? "" : " " + e.getCause());
    assertTrue(all.contains(message), "expected '" + message + "' in: " + all);
  }
}
