package io.sparklstm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.data.Example;
import io.sparklstm.data.SyntheticTasks;
import io.sparklstm.data.TokenStreams;
import io.sparklstm.nn.Dropout;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.Precision;
import io.sparklstm.optim.BlockMomentum;
import io.sparklstm.optim.OptimizerSpec;
import io.sparklstm.train.ClassifierTrainer;
import io.sparklstm.train.Evaluation;
import io.sparklstm.train.LanguageModelTrainer;
import io.sparklstm.train.ModelSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Spark averaging trainer in local mode: it learns, and it is exactly reproducible. */
class SparkTrainerTest {
  static final ModelSpec CLASSIFIER =
      new ModelSpec(InputKind.EMBEDDING, 10, 8, 32, 1, HeadKind.LAST_STEP, 4);

  static JavaSparkContext context(String master) {
    SparkConf conf = new SparkConf().setMaster(master).setAppName("spark-lstm-test")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1");
    return new JavaSparkContext(conf);
  }

  /** With dropout everywhere, both directions and mean pooling: masks drawn on the executors. */
  static final ModelSpec REGULARIZED = CLASSIFIER.with(true, ModelSpec.Pooling.MEAN,
      new Dropout(0.1, 0.2, 0.2));

  static SparkTrainingConfig classifierConfig(int partitions, int averageEvery, int epochs) {
    return classifierConfig(CLASSIFIER, partitions, averageEvery, epochs);
  }

  static SparkTrainingConfig classifierConfig(ModelSpec spec, int partitions, int averageEvery,
      int epochs) {
    return new SparkTrainingConfig(spec, OptimizerSpec.adam(1e-2, 5.0), 32, 65, epochs,
        partitions, averageEvery, true, BlockMomentum.auto(), 11);
  }

  static Stream<ModelSpec> classifiers() {
    return Stream.of(CLASSIFIER, REGULARIZED);
  }

  @ParameterizedTest
  @MethodSource("classifiers")
  void classifierLearnsAcrossTwoPartitionsAndMastersAgreeBitForBit(ModelSpec spec) {
    List<Example> train = SyntheticTasks.recallFirstSymbol(6000, 4, 6, 2, 65, 1);
    List<Example> test = SyntheticTasks.recallFirstSymbol(500, 4, 6, 55, 65, 2);
    float[][] params = new float[3][];
    String[] masters = {"local[2]", "local[2]", "local[1]"};
    Evaluation eval = null;
    for (int run = 0; run < 3; run++) {
      try (JavaSparkContext sc = context(masters[run])) {
        SparkTrainer t = new SparkTrainer(sc, classifierConfig(spec, 2, 10, 2));
        ModelSnapshot m = t.trainClassifier(sc.parallelize(train, 3),
            r -> System.out.println(r.summary()));
        params[run] = m.params();
        if (run == 0) {
          eval = t.evaluateClassifier(m, sc.parallelize(test, 2));
        }
      }
    }
    System.out.printf("held-out accuracy %.4f, loss %.4f%n", eval.loss().accuracy(),
        eval.loss().meanLoss());
    assertTrue(eval.loss().accuracy() >= 0.99, "held-out accuracy " + eval.loss().accuracy());
    assertArrayEquals(params[0], params[1], "two local[2] runs");
    assertArrayEquals(params[0], params[2], "local[2] and local[1]");
  }

  @ParameterizedTest
  @MethodSource("classifiers")
  void onePartitionIsTheSingleProcessTrainer(ModelSpec spec) {
    List<Example> train = SyntheticTasks.recallFirstSymbol(400, 4, 6, 2, 30, 3);
    SparkTrainingConfig cfg = classifierConfig(spec, 1, 0, 2);
    float[] spark;
    try (JavaSparkContext sc = context("local[2]")) {
      spark = new SparkTrainer(sc, cfg).trainClassifier(sc.parallelize(train, 3), r -> { })
          .params();
    }
    LstmNetwork net = new LstmNetwork(spec, Precision.FLOAT, 32, 65);
    net.initialize(cfg.seed());
    ClassifierTrainer local = new ClassifierTrainer(net,
        cfg.optimizer().build(net.layout(), Precision.FLOAT), 32, cfg.seed());
    for (int e = 0; e < 2; e++) {
      local.epoch(train, null, e);
    }
    assertArrayEquals(net.params().toFloatArray(), spark);
  }

  @Test
  void languageModelLearnsWithCarriedStateAcrossRounds() {
    int keys = 4;
    int fillers = 4;
    int vocab = SyntheticTasks.bracketVocabulary(keys, fillers);
    int[] text = SyntheticTasks.bracketLanguage(80_000, keys, fillers, 6, 14, 5);
    int[] valid = SyntheticTasks.bracketLanguage(8_000, keys, fillers, 6, 14, 6);
    ModelSpec spec = ModelSpec.languageModel(vocab, 48, 1);
    SparkTrainingConfig cfg = new SparkTrainingConfig(spec, OptimizerSpec.adam(1e-2, 5.0), 16, 12,
        12, 2, 25, true, BlockMomentum.of(0), 3);
    ModelSnapshot m;
    LossTotals val;
    try (JavaSparkContext sc = context("local[2]")) {
      SparkTrainer t = new SparkTrainer(sc, cfg);
      m = t.trainLanguageModel(sc.parallelize(chunks(text, 1000), 4),
          r -> System.out.println(r.summary()));
      val = t.evaluateLanguageModel(m, TokenText.of(sc.parallelize(chunks(valid, 1000), 2)));
    }
    LstmNetwork net = new LstmNetwork(spec, Precision.FLOAT, 16, 12);
    net.params().setAll(m.params());
    double[] acc = io.sparklstm.train.LearningTest.closerAccuracy(net,
        new TokenStreams(valid, 0, valid.length, 16, 12), keys, 12);
    System.out.printf("validation bits %.4f, closer accuracy %.4f (key in earlier window %.4f)%n",
        val.bitsPerToken(), acc[0], acc[1]);
    assertTrue(acc[1] >= 0.95, "closing symbols whose key is in an earlier window: " + acc[1]);
    assertTrue(val.bitsPerToken() < 2.0, "validation bits per token " + val.bitsPerToken());
  }

  static List<int[]> chunks(int[] text, int size) {
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < text.length; i += size) {
      out.add(java.util.Arrays.copyOfRange(text, i, Math.min(text.length, i + size)));
    }
    return out;
  }
}
