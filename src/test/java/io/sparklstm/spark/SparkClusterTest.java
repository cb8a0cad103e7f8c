package io.sparklstm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.data.Example;
import io.sparklstm.data.SyntheticTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Two real executor JVMs ({@code local-cluster[2,1,1024]}) train the same model as local[2],
 * bit for bit. The executors' classpath comes from SPARK_DIST_CLASSPATH, and SPARK_HOME must hold
 * a {@code jars/} folder; the pom sets both for the test JVM.
 */
class SparkClusterTest {

  @Test
  void localClusterMatchesLocalModeBitForBit() throws Exception {
    String home = System.getenv("SPARK_HOME");
    assertTrue(home != null && System.getenv("SPARK_DIST_CLASSPATH") != null,
        "run through Maven: the pom sets SPARK_HOME and SPARK_DIST_CLASSPATH");
    Files.createDirectories(Path.of(home, "jars"));
    List<Example> train = SyntheticTasks.recallFirstSymbol(1200, 4, 6, 2, 40, 7);
    SparkTrainingConfig cfg = SparkTrainerTest.classifierConfig(2, 5, 2);

    float[] local;
    try (JavaSparkContext sc = SparkTrainerTest.context("local[2]")) {
      local = new SparkTrainer(sc, cfg).trainClassifier(sc.parallelize(train, 3), r -> { })
          .params();
    }
    SparkConf conf = new SparkConf().setMaster("local-cluster[2,1,1024]")
        .setAppName("spark-lstm-cluster-test").set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.executor.memory", "1g")
        .set("spark.executorEnv.OMP_NUM_THREADS", "1");
    float[] cluster;
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      long driverPid = ProcessHandle.current().pid();
      List<Long> executorPids = sc.parallelize(List.of(1, 2, 3, 4), 4)
          .map(x -> ProcessHandle.current().pid()).distinct().collect();
      System.out.println("driver pid " + driverPid + ", executor pids " + executorPids);
      for (long pid : executorPids) {
        assertNotEquals(driverPid, pid, "tasks ran in separate executor JVMs");
      }
      cluster = new SparkTrainer(sc, cfg).trainClassifier(sc.parallelize(train, 3),
          r -> System.out.println("cluster " + r.summary())).params();
    }
    assertArrayEquals(local, cluster);
  }
}
