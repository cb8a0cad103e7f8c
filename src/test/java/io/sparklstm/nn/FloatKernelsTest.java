package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import jdk.incubator.vector.FloatVector;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The float path (vector kernels, float storage) against the double path that the gradient
 * check verifies: same loss, gradients and state up to float rounding.
 */
class FloatKernelsTest {

  @Test
  void vectorKernelsAreActiveInTests() {
    assertTrue(Simd.ENABLED, "the tests run with --add-modules jdk.incubator.vector");
  }

  @Test
  void vectorExpMatchesMathExp() {
    float[] xs = new float[FloatVector.SPECIES_PREFERRED.length()];
    double worst = 0;
    for (double x0 = -80; x0 < 80; x0 += 0.37) {
      for (int i = 0; i < xs.length; i++) {
        xs[i] = (float) (x0 + i * 0.011);
      }
      float[] a = Arrays.copyOf(xs, 2 * xs.length); // x, then e^x written after it
      SimdKernels.exp(a, 0, xs.length, xs.length, 1f);
      float[] out = Arrays.copyOfRange(a, xs.length, a.length);
      for (int i = 0; i < xs.length; i++) {
        worst = Math.max(worst, Math.abs(out[i] / Math.exp(xs[i]) - 1));
      }
    }
    assertTrue(worst < 1e-6, "max relative error " + worst);
  }

  /**
   * H = 32 runs entirely in vector lanes and its per-step products through {@link RecurrentGemm}
   * (11 sequences: a block of 8 rows and 3 single rows); H = 21 also exercises the scalar tail
   * and multiplies through OpenBLAS.
   */
  @ParameterizedTest
  @ValueSource(ints = {32, 21})
  void floatMatchesDouble(int hidden) {
    ModelSpec spec = new ModelSpec(InputKind.TOKENS, 7, 0, hidden, 2, HeadKind.EVERY_STEP, 7);
    int bsz = 11;
    LstmNetwork d = new LstmNetwork(spec, Precision.DOUBLE, bsz, 9);
    LstmNetwork f = new LstmNetwork(spec, Precision.FLOAT, bsz, 9);
    d.initialize(5);
    f.params().setAll(d.params().toFloatArray());
    d.params().setAll(f.params().toDoubleArray()); // both start from the same float values
    Batch batch = TestBatches.random(spec, bsz, 9, 3, true);
    LossTotals ld = new LossTotals();
    LossTotals lf = new LossTotals();
    RecurrentState sd = RecurrentState.zeros(d, bsz);
    RecurrentState sf = RecurrentState.zeros(f, bsz);
    d.forwardBackward(batch, sd, ld);
    f.forwardBackward(batch, sf, lf);
    assertEquals(ld.lossSum(), lf.lossSum(), 1e-5 * ld.lossSum());
    assertGradientsAgree(d.grads(), f.grads());
    for (int l = 0; l < 2; l++) {
      for (int i = 0; i < sd.h(l).size(); i++) {
        assertEquals(sd.h(l).get(i), sf.h(l).get(i), 1e-6);
        assertEquals(sd.c(l).get(i), sf.c(l).get(i), 1e-6);
      }
    }
  }

  /** The float gradient is the double one up to 1e-5 of the largest component. */
  static void assertGradientsAgree(Vec doubles, Vec floats) {
    double[] gd = doubles.toDoubleArray();
    double[] gf = floats.toDoubleArray();
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < gd.length; i++) {
      scale = Math.max(scale, Math.abs(gd[i]));
      diff = Math.max(diff, Math.abs(gd[i] - gf[i]));
    }
    assertTrue(diff < 1e-5 * scale, "gradient difference " + diff + " vs scale " + scale);
  }
}
