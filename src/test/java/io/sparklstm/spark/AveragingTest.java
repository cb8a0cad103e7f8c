package io.sparklstm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.Precision;
import io.sparklstm.nn.Rng;
import io.sparklstm.nn.Vec;
import org.junit.jupiter.api.Test;

/** The arithmetic of parameter averaging, exactly. */
class AveragingTest {

  private static Vec random(int n, long seed) {
    Rng rng = new Rng(seed);
    Vec v = Vec.allocate(Precision.FLOAT, n);
    for (int i = 0; i < n; i++) {
      v.set(i, rng.nextGaussian() * Math.pow(10, rng.nextInt(8) - 4));
    }
    return v;
  }

  private static RoundResult result(Vec p, long weight) {
    return RoundResult.of(p, p, weight, 1, new LossTotals(), 0);
  }

  @Test
  void identicalModelsAverageToTheSameBits() {
    Vec p = random(1000, 1);
    for (int n : new int[] {1, 2, 3, 5, 8}) {
      PartitionTree<RoundResult> tree = PartitionTree.empty(n);
      for (int i = 0; i < n; i++) {
        tree.merge(PartitionTree.leaf(n, i, result(p, 1000 + 37 * i)));
      }
      assertArrayEquals(p.toFloatArray(), tree.result().averageParams(), "n = " + n);
      assertArrayEquals(p.toFloatArray(), tree.result().averageOptimizerState());
    }
  }

  @Test
  void twoModelsAverageByExampleCounts() {
    Vec a = random(100, 2);
    Vec b = random(100, 3);
    PartitionTree<RoundResult> tree = PartitionTree.leaf(2, 1, result(b, 3))
        .merge(PartitionTree.leaf(2, 0, result(a, 1)));
    float[] avg = tree.result().averageParams();
    for (int i = 0; i < 100; i++) {
      assertEquals((float) ((a.get(i) * 1 + b.get(i) * 3) / 4), avg[i]);
    }
    assertEquals(4.0, tree.result().weight());
  }

  /** Any arrival and grouping order gives the same bits. */
  @Test
  void sumIsIndependentOfMergeOrder() {
    int n = 7;
    float[] expected = null;
    for (long shuffle = 0; shuffle < 20; shuffle++) {
      int[] order = {0, 1, 2, 3, 4, 5, 6};
      new Rng(shuffle).shuffle(order);
      // Merge into two partial trees (as two executors would), then merge those.
      PartitionTree<RoundResult> left = PartitionTree.empty(n);
      PartitionTree<RoundResult> right = PartitionTree.empty(n);
      for (int k = 0; k < n; k++) {
        int i = order[k];
        (k % 2 == 0 ? left : right).merge(PartitionTree.leaf(n, i, result(random(50, i), 10 + i)));
      }
      float[] avg = (shuffle % 2 == 0 ? left.merge(right) : right.merge(left)).result()
          .averageParams();
      if (expected == null) {
        expected = avg;
      }
      assertArrayEquals(expected, avg);
    }
  }
}
