package io.sparklstm.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparklstm.data.Example;
import io.sparklstm.data.IdxReader;
import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.optim.BlockMomentum;
import io.sparklstm.optim.OptimizerSpec;
import io.sparklstm.train.Evaluation;
import io.sparklstm.train.ModelSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Fashion-MNIST read row by row (28 steps x 28 features), LSTM 128, batch 64, Adam 1e-3, in
 * local[2] with 2 partitions averaging every 50 minibatches, 5 epochs, for seeds 1, 2 and 3:
 * their mean test accuracy must reach single-process PyTorch's 0.867, and none may fall below
 * 0.86. One seed is not evidence: the seeds spread 0.863-0.872 (this test once asked seed 1
 * alone for 0.87, which it met by 0.0014 and seed 2 would have missed by 0.007). Needs Debian's
 * dataset-fashion-mnist, which .ci/run installs; the directory can be moved with
 * -Dfmnist.dir, the seeds set with -Dfmnist.seeds=1,2,3.
 */
class FashionMnistSparkTest {
  static final Path DIR = Path.of(System.getProperty("fmnist.dir",
      "/usr/share/datasets/fashion-mnist"));

  @Test
  void reachesPyTorchAccuracyWithAveragingEveryFiftyMinibatches() throws Exception {
    assumeTrue(Files.isDirectory(DIR) || "true".equals(System.getenv("CI")),
        "Fashion-MNIST is not installed at " + DIR);
    List<Example> train = IdxReader.rowSequences(DIR.resolve("train-images-idx3-ubyte.gz"),
        DIR.resolve("train-labels-idx1-ubyte.gz"));
    List<Example> test = IdxReader.rowSequences(DIR.resolve("t10k-images-idx3-ubyte.gz"),
        DIR.resolve("t10k-labels-idx1-ubyte.gz"));
    ModelSpec spec = new ModelSpec(InputKind.DENSE, 28, 0, 128, 1, HeadKind.LAST_STEP, 10);
    int averageEvery = Integer.getInteger("fmnist.averageEvery", 50);
    String bm = System.getProperty("fmnist.blockMomentum", "auto");
    BlockMomentum momentum = bm.equals("auto") ? BlockMomentum.auto()
        : BlockMomentum.of(Double.parseDouble(bm));
    long[] seeds = Arrays.stream(System.getProperty("fmnist.seeds", "1,2,3").split(","))
        .mapToLong(Long::parseLong).toArray();
    double[] accuracy = new double[seeds.length];
    try (JavaSparkContext sc = SparkTrainerTest.context("local[2]")) {
      for (int i = 0; i < seeds.length; i++) {
        SparkTrainingConfig cfg = new SparkTrainingConfig(spec, OptimizerSpec.adam(1e-3, 0), 64,
            28, 5, Integer.getInteger("fmnist.partitions", 2), averageEvery, true, momentum,
            seeds[i]);
        long start = System.nanoTime();
        SparkTrainer t = new SparkTrainer(sc, cfg);
        ModelSnapshot m = t.trainClassifier(sc.parallelize(train, 4), r -> {
          if (r.round() + 1 == r.rounds()) {
            System.out.println("fmnist " + r.summary());
          }
        });
        Evaluation eval = t.evaluateClassifier(m, sc.parallelize(test, 2));
        accuracy[i] = eval.loss().accuracy();
        System.out.printf("fmnist partitions=%d averageEvery=%d blockMomentum=%.2f seed %d test "
                + "accuracy %.4f loss %.4f wall %.1f s%n", cfg.partitions(), averageEvery,
            cfg.effectiveBlockMomentum(), seeds[i], accuracy[i], eval.loss().meanLoss(),
            (System.nanoTime() - start) / 1e9);
      }
    }
    double mean = Arrays.stream(accuracy).average().orElse(0);
    String figures = "test accuracies " + Arrays.toString(accuracy) + ", mean " + mean;
    assertTrue(mean >= 0.867, figures);
    assertTrue(Arrays.stream(accuracy).min().orElse(0) >= 0.86, figures);
  }
}
