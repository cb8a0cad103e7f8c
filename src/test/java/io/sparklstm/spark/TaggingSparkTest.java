package io.sparklstm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.data.Example;
import io.sparklstm.data.SyntheticTasks;
import io.sparklstm.nn.Dropout;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.ModelSpec.Pooling;
import io.sparklstm.nn.Precision;
import io.sparklstm.optim.BlockMomentum;
import io.sparklstm.optim.OptimizerSpec;
import io.sparklstm.train.ClassifierTrainer;
import io.sparklstm.train.HeldOut;
import io.sparklstm.train.ModelSnapshot;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Tagging on Spark's averaging trainer (local mode): one partition trains exactly the
 * single-process trainer's model; two partitions reach the same held-out token accuracy within
 * a point, with the same bits on one core or two.
 */
class TaggingSparkTest {
  /** Two bidirectional layers over the generated language whose tags need both sides. */
  static final ModelSpec TAGGER = new ModelSpec(InputKind.EMBEDDING, 6, 8, 24, 2,
      HeadKind.EVERY_STEP, 3).with(true, Pooling.LAST, Dropout.NONE);

  static SparkTrainingConfig config(int partitions, int epochs) {
    return new SparkTrainingConfig(TAGGER, OptimizerSpec.adam(1e-2, 5.0), 32, 20, epochs,
        partitions, 10, true, BlockMomentum.auto(), 5);
  }

  @Test
  void onePartitionIsTheSingleProcessTrainer() {
    List<Example> train = SyntheticTasks.contextTags(300, 6, 3, 3, 20, 1);
    SparkTrainingConfig cfg = config(1, 2);
    float[] spark;
    try (JavaSparkContext sc = SparkTrainerTest.context("local[2]")) {
      SparkTrainer t = new SparkTrainer(sc, cfg);
      spark = t.train(Task.TAGGING, sc.parallelize(train, 3), t.initialState(), (r, s) -> { })
          .model().params();
    }
    LstmNetwork net = new LstmNetwork(TAGGER, Precision.FLOAT, 32, 20);
    net.initialize(cfg.seed());
    ClassifierTrainer local = new ClassifierTrainer(net,
        cfg.optimizer().build(net.layout(), Precision.FLOAT), 32, cfg.seed());
    for (int e = 0; e < 2; e++) {
      local.epoch(train, null, e);
    }
    assertArrayEquals(net.params().toFloatArray(), spark);
  }

  @Test
  void twoPartitionsReachOnePartitionsTokenAccuracy() {
    List<Example> train = SyntheticTasks.contextTags(2000, 6, 3, 5, 20, 2);
    List<Example> test = SyntheticTasks.contextTags(300, 6, 3, 5, 20, 3);
    String[] masters = {"local[2]", "local[2]", "local[1]"};
    int[] partitions = {1, 2, 2};
    double[] accuracy = new double[3];
    float[][] params = new float[3][];
    for (int run = 0; run < 3; run++) {
      try (JavaSparkContext sc = SparkTrainerTest.context(masters[run])) {
        SparkTrainer t = new SparkTrainer(sc, config(partitions[run], 3));
        ModelSnapshot m = t.train(Task.TAGGING, sc.parallelize(train, 3), t.initialState(),
            (r, s) -> System.out.println(r.summary())).model();
        HeldOut h = t.evaluate(Task.TAGGING, m, sc.parallelize(test, 2));
        accuracy[run] = h.accuracy();
        params[run] = m.params();
        System.out.printf("%d partition(s) on %s: token accuracy %.4f, macro F1 %.4f%n",
            partitions[run], masters[run], h.accuracy(), h.metric());
        assertEquals("macro F1", h.metricName());
      }
    }
    assertTrue(accuracy[0] >= 0.98, "one partition: token accuracy " + accuracy[0]);
    assertTrue(Math.abs(accuracy[1] - accuracy[0]) <= 0.01, "two partitions: token accuracy "
        + accuracy[1] + ", one partition: " + accuracy[0]);
    assertArrayEquals(params[1], params[2], "two partitions on local[2] and local[1]");
  }
}
