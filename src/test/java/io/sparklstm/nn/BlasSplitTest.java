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
}
