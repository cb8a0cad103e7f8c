package io.sparklstm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PartitionTree.sum on Spark: summed in blocks on the executors, the same bits as the driver. */
class PartitionTreeSumTest {
  static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = SparkTrainerTest.context("local[2]");
  }

  @AfterAll
  static void stop() {
    sc.close();
  }

  /** Doubles added elementwise; values of very different magnitudes make grouping visible. */
  record Doubles(double[] v) implements PartitionTree.Summable<Doubles> {
    @Override
    public Doubles plus(Doubles o) {
      double[] s = v.clone();
      for (int i = 0; i < s.length; i++) {
        s[i] += o.v[i];
      }
      return new Doubles(s);
    }
  }

  static Doubles value(int partition) {
    Random r = new Random(partition);
    double[] v = new double[64];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6);
    }
    return new Doubles(v);
  }

  static JavaRDD<PartitionTree<Doubles>> leaves(int n) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(i);
    }
    return sc.parallelize(ids, n).mapPartitionsWithIndex((p, it) ->
        List.of(PartitionTree.leaf(n, p, value(p))).iterator(), true);
  }

  @Test
  void blockSumsAreTheDriversTreeSumBitForBit() {
    for (int n : new int[] {1, 2, 3, 4, 5, 7, 8, 13, 16, 33}) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(n));
      PartitionTree<Doubles> driver = PartitionTree.empty(n);
      order.forEach(i -> driver.merge(PartitionTree.leaf(n, i, value(i))));
      assertArrayEquals(driver.result().v(), PartitionTree.sum(leaves(n), n).v(), "n = " + n);
    }
  }

  /**
   * With 16 partitions the driver receives 4 sums of 4 partitions each (Spark's treeAggregate,
   * used before, grouped i with i mod 4: 16 unsummed values reached the driver).
   */
  @Test
  void theDriverReceivesOneWholeSubtreePerBlock() {
    for (int n : new int[] {4, 5, 8, 16, 64}) {
      List<PartitionTree<Doubles>> received = PartitionTree.blockSums(leaves(n), n);
      int block = PartitionTree.blockSize(n);
      assertEquals((n + block - 1) / block, received.size(), "n = " + n);
      for (PartitionTree<Doubles> t : received) {
        assertEquals(1, t.nodeCount(), "n = " + n + ": a block arrives as one summed node");
      }
    }
    assertEquals(4, PartitionTree.blockSums(leaves(16), 16).size());
  }
}
