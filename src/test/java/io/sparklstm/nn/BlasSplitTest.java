package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A product that {@link Blas} cuts in halves computed by two threads at once: right, and the
 * same bits every time. (The halves once positioned the operands' shared pointers from both
 * threads, and a half now and then read the other's operand.)
 */
class BlasSplitTest {
  @Test
  void halvesComputedAtOnceGiveTheSameProductEveryTime() {
    int before = Blas.threads();
    int m = 300;
    int n = 200;
    int k = 80; // 4.8M multiply-adds: cut in two
    Rng rng = new Rng(5);
    Vec a = Vec.allocate(Precision.FLOAT, m * k);
    Vec b = Vec.allocate(Precision.FLOAT, k * n);
    for (Vec v : new Vec[] {a, b}) {
      for (int i = 0; i < v.size(); i++) {
        v.set(i, rng.nextDouble() - 0.5);
      }
    }
    Vec c = Vec.allocate(Precision.FLOAT, m * n);
    try {
      Blas.setThreads(2);
      Blas.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
      float[] first = c.toFloatArray();
      for (int r = 0; r < m; r += 37) { // spot-check against a double reference
        for (int j = 0; j < n; j += 23) {
          double sum = 0;
          for (int kk = 0; kk < k; kk++) {
            sum += a.get(r * k + kk) * b.get(kk * n + j);
          }
          assertEquals(sum, first[r * n + j], 1e-4, "row " + r + " column " + j);
        }
      }
      for (int rep = 0; rep < 500; rep++) { // the old race spoiled one of a few hundred
        Blas.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
        assertArrayEquals(first, c.toFloatArray(), "repetition " + rep);
      }
    } finally {
      Blas.setThreads(before);
    }
  }

  /**
   * Every way a product is cut: by rows (m >= n) and by columns (m < n), with A and B each
   * transposed or not, against the same product on one thread (every element within 1e-5).
   */
  @Test
  void everyTransposeAndDirectionOfTheCutGivesTheProduct() {
    int before = Blas.threads();
    Rng rng = new Rng(9);
    try {
      for (int[] shape : new int[][] {{400, 160, 96}, {160, 400, 96}}) { // rows cut, columns cut
        int m = shape[0];
        int n = shape[1];
        int k = shape[2];
        for (int t = 0; t < 4; t++) {
          boolean ta = (t & 1) != 0;
          boolean tb = (t & 2) != 0;
          Vec a = random(m * k, rng);
          Vec b = random(k * n, rng);
          Vec c0 = random(m * n, rng);
          Vec one = Vec.allocate(Precision.FLOAT, m * n);
          Vec two = Vec.allocate(Precision.FLOAT, m * n);
          c0.copyTo(0, one, 0, m * n);
          c0.copyTo(0, two, 0, m * n);
          int lda = ta ? m : k;
          int ldb = tb ? k : n;
          Blas.setThreads(1);
          Blas.gemm(ta, tb, m, n, k, 0.5, a, 0, lda, b, 0, ldb, 1, one, 0, n);
          Blas.setThreads(2);
          Blas.gemm(ta, tb, m, n, k, 0.5, a, 0, lda, b, 0, ldb, 1, two, 0, n);
          for (int i = 0; i < m * n; i++) {
            assertEquals(one.get(i), two.get(i), 1e-5,
                m + "x" + n + " transA=" + ta + " transB=" + tb + " element " + i);
          }
        }
      }
    } finally {
      Blas.setThreads(before);
    }
  }

  private static Vec random(int size, Rng rng) {
    Vec v = Vec.allocate(Precision.FLOAT, size);
    for (int i = 0; i < size; i++) {
      v.set(i, rng.nextDouble() - 0.5);
    }
    return v;
  }
}
