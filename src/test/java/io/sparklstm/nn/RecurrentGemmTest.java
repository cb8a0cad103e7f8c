package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.optim.Optimizer;
import io.sparklstm.optim.OptimizerSpec;
import org.junit.jupiter.api.Test;

/**
 * The vector kernel of the per-step products, and the split of a batch's rows between two
 * threads that it allows: exact against a reference, and the same bits however rows are shared.
 */
class RecurrentGemmTest {

  @Test
  void eachElementIsItsProductSumAddedOnceWhateverTheBatch() {
    assumeTrue(RecurrentGemm.USABLE, "needs 8 or 16 float lanes");
    // blocks of 8 (AVX-512) or 6 (AVX2) rows, of 4, and single rows, in every mix
    for (int m = 1; m <= 64; m++) {
      productOf(m);
    }
  }

  private static void productOf(int m) {
    int k = 40;
    int n = 64;
    int at = 7; // A and C start inside their vectors, as a step's rows do in the layer's
    Rng rng = new Rng(3);
    Vec a = Vec.allocate(Precision.FLOAT, at + m * k);
    Vec b = Vec.allocate(Precision.FLOAT, k * n);
    Vec c = Vec.allocate(Precision.FLOAT, at + m * n);
    for (Vec v : new Vec[] {a, b, c}) {
      for (int i = 0; i < v.size(); i++) {
        v.set(i, rng.nextDouble() - 0.5);
      }
    }
    Vec c0 = Vec.allocate(Precision.FLOAT, at + m * n);
    c.copyTo(0, c0, 0, at + m * n);
    float[] packed = new float[k * n];
    RecurrentGemm.pack(b, 0, n, k, n, false, packed);
    // scratch as the layer passes it: larger than needed and holding an earlier call's values
    float[] scratch = new float[64 * (2 * k + n) + 5];
    java.util.Arrays.fill(scratch, Float.NaN);
    RecurrentGemm.multiplyAdd(m, n, k, a, at, packed, c, at, scratch);
    Vec oneByOne = Vec.allocate(Precision.FLOAT, at + m * n);
    c0.copyTo(0, oneByOne, 0, at + m * n);
    for (int r = 0; r < m; r++) {
      RecurrentGemm.multiplyAdd(1, n, k, a, at + r * k, packed, oneByOne, at + r * n, scratch);
    }
    assertArrayEquals(oneByOne.toFloatArray(), c.toFloatArray(), "m = " + m);
    for (int i = 0; i < at; i++) {
      assertEquals((float) c0.get(i), (float) c.get(i), 0f, "before C, m = " + m);
    }
    for (int r = 0; r < m; r++) {
      for (int j = 0; j < n; j++) {
        float sum = 0;
        for (int kk = 0; kk < k; kk++) {
          sum = Math.fma((float) a.get(at + r * k + kk), (float) b.get(kk * n + j), sum);
        }
        assertEquals((float) c0.get(at + r * n + j) + sum, (float) c.get(at + r * n + j), 0f,
            "m = " + m + ", row " + r + " column " + j);
      }
    }
    float[] packedT = new float[k * n]; // B^T read from B stored as its transpose
    Vec bt = Vec.allocate(Precision.FLOAT, n * k);
    for (int kk = 0; kk < k; kk++) {
      for (int j = 0; j < n; j++) {
        bt.set(j * k + kk, b.get(kk * n + j));
      }
    }
    RecurrentGemm.pack(bt, 0, k, k, n, true, packedT);
    assertArrayEquals(packed, packedT);
  }

  /**
   * Two stacked bidirectional layers with recurrent dropout over a ragged batch of 32 (shares of
   * 16 sequences) train to the same bits with the recurrence split between two threads as on
   * one. Both runs have two threads for the larger products, which {@link Blas} cuts in halves:
   * those are not always the same bits as whole products (they differ for this model).
   */
  @Test
  void splittingTheSequencesBetweenTwoThreadsKeepsEveryBit() {
    int before = Blas.threads();
    try {
      Blas.setThreads(2);
      float[] split = train();
      RowSplit.enabled = false;
      float[] whole = train();
      assertArrayEquals(whole, split);
    } finally {
      RowSplit.enabled = true;
      Blas.setThreads(before);
    }
  }

  private static float[] train() {
    ModelSpec spec = new ModelSpec(InputKind.TOKENS, 7, 0, 64, 2, HeadKind.EVERY_STEP, 7)
        .with(true, ModelSpec.Pooling.LAST, new Dropout(0.1, 0.3, 0.2));
    int bsz = 32;
    int steps = 20; // layer 2's input projection, 640 x 256 x 128, is cut in two
    LstmNetwork net = new LstmNetwork(spec, Precision.FLOAT, bsz, steps);
    net.initialize(11);
    Optimizer adam = OptimizerSpec.adam(1e-2, 5).build(net.layout(), Precision.FLOAT);
    RecurrentState state = RecurrentState.zeros(net, bsz);
    LossTotals totals = new LossTotals();
    for (int step = 0; step < 3; step++) {
      net.forwardBackward(TestBatches.random(spec, bsz, steps, step, true), state, totals,
          step);
      adam.step(net.params(), net.grads());
    }
    float[] params = net.params().toFloatArray();
    float[] out = java.util.Arrays.copyOf(params, params.length + 1);
    out[params.length] = (float) totals.lossSum();
    return out;
  }
}
