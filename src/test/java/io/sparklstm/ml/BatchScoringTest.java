package io.sparklstm.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.data.Vocabulary;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.Precision;
import io.sparklstm.train.ModelSnapshot;
import io.sparklstm.train.TrainingState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Batch inference on the executors: 100,000 rows scored in local[2] with no row reaching the
 * driver, and every probability equal, bit for bit, to the single-row path's.
 */
class BatchScoringTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = MlTests.session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** A two-layer classifier over nine words with seeded random weights (no training needed). */
  static LstmClassificationModel model() {
    Vocabulary vocab = new Vocabulary(true, List.of("w0", "w1", "w2", "w3", "w4", "w5", "w6",
        "w7", "w8"));
    ModelSpec spec = new ModelSpec(InputKind.EMBEDDING, vocab.size(), 8, 32, 2,
        HeadKind.LAST_STEP, 3);
    LstmNetwork net = new LstmNetwork(spec, Precision.FLOAT, 1, 1);
    net.initialize(7);
    float[] p = net.params().toFloatArray();
    for (int i = 0; i < p.length; i++) {
      p[i] *= 4; // beyond the initial scale, so that probabilities spread
    }
    TrainingState state = new TrainingState(1, 0, new ModelSnapshot(p, new float[0], 0,
        Map.of()), new double[p.length]);
    return new LstmClassificationModel("lstmClassifier_batch", new Fitted(spec, vocab, state,
        Map.of()), SequenceColumn.TOKENS).setFeaturesCol("words");
  }

  /** {@code n} rows (id, words) of 1 to 19 words, generated on the executors. */
  static Dataset<Row> rows(long n) {
    return spark.range(0, n, 1, 4).selectExpr("id", "transform(sequence(0, cast(pmod(id * 7919,"
        + " 19) as int)), i -> concat('w', cast(pmod(id * 31 + i * 17 + i * i, 10) as string)))"
        + " as words");
  }

  @Test
  void scoresAHundredThousandRowsOnTheExecutorsLikeTheSingleRowPath() throws Exception {
    LstmClassificationModel model = model();
    AtomicInteger jobs = new AtomicInteger();
    AtomicLong resultBytes = new AtomicLong();
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart e) {
        jobs.incrementAndGet();
      }

      @Override
      public void onTaskEnd(SparkListenerTaskEnd e) {
        if (e.taskMetrics() != null) {
          resultBytes.addAndGet(e.taskMetrics().resultSize());
        }
      }
    };
    spark.sparkContext().addSparkListener(listener);
    Dataset<Row> out;
    try {
      out = model.transform(rows(100_000)).persist();
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertEquals(0, jobs.get(), "transform runs no job");
      String plan = out.queryExecution().executedPlan().toString();
      assertTrue(plan.contains("MapPartitions") && plan.contains("Range"), plan);
      assertFalse(plan.contains("LocalTableScan"), "no rows travel through the driver: " + plan);

      long t0 = System.nanoTime();
      Row totals = out.agg(count(lit(1)), sum(col("prediction"))).first();
      double seconds = (System.nanoTime() - t0) / 1e9;
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertEquals(100_000L, totals.getLong(0));
      assertTrue(totals.getDouble(1) > 10_000, "predictions vary: " + totals);
      assertTrue(resultBytes.get() < 200_000, "the driver got " + resultBytes.get()
          + " bytes of task results for 100,000 scored rows");
      System.out.printf("100,000 rows scored in %.1f s (%.0f rows/s), %d bytes of task results%n",
          seconds, 100_000 / seconds, resultBytes.get());
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }

    // Minibatched (the default, 32 rows): each row as scored alone, to OpenBLAS's rounding.
    double worst = 0;
    List<Row> sample = out.where("id % 997 = 0 or id < 40").select("words", "probability")
        .collectAsList();
    out.unpersist();
    assertTrue(sample.size() > 130, "sample of " + sample.size());
    for (Row r : sample) {
      double[] batched = ((Vector) r.get(1)).toArray();
      double[] alone = model.predictProbability(r.getList(0)).toArray();
      for (int k = 0; k < alone.length; k++) {
        worst = Math.max(worst, Math.abs(batched[k] - alone[k]));
      }
    }
    System.out.printf("minibatched vs single-row probabilities: largest difference %.3g%n", worst);
    assertTrue(worst < 1e-6, "largest difference " + worst);
  }

  @Test
  void rowsScoredOneByOneEqualTheSingleRowPathBitForBit() {
    LstmClassificationModel model = model().setScoringBatchSize(1);
    List<Row> scored = model.transform(rows(2_000).repartition(3))
        .select("words", "rawPrediction", "probability", "prediction").collectAsList();
    assertEquals(2_000, scored.size());
    for (Row r : scored) {
      List<Object> words = r.getList(0);
      assertArrayEquals(((Vector) r.get(1)).toArray(), model.predictRaw(words).toArray(),
          "raw " + words);
      assertArrayEquals(((Vector) r.get(2)).toArray(), model.predictProbability(words).toArray(),
          "probability " + words);
      assertEquals(r.getDouble(3), model.predict(words), "prediction " + words);
    }
  }
}
