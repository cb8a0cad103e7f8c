package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The float encoder-decoder (vector kernels, per-step products through {@link RecurrentGemm} at
 * H = 64) against the double one that the gradient check verifies.
 */
class Seq2SeqFloatTest {
  @Test
  void floatMatchesDouble() {
    Seq2SeqSpec spec = new Seq2SeqSpec(8, 9, 64, 1, true, true);
    int bsz = 20; // two blocks of 8 rows and 4 single rows
    Seq2SeqNetwork d = new Seq2SeqNetwork(spec, Precision.DOUBLE, bsz, 12, 13);
    Seq2SeqNetwork f = new Seq2SeqNetwork(spec, Precision.FLOAT, bsz, 12, 13);
    d.initialize(5);
    f.params().setAll(d.params().toFloatArray());
    d.params().setAll(f.params().toDoubleArray());
    Seq2SeqBatch batch = Seq2SeqGradientCheckTest.randomBatch(spec, bsz, 12, 13, 3);
    LossTotals ld = new LossTotals();
    LossTotals lf = new LossTotals();
    d.forwardBackward(batch, ld, 0);
    f.forwardBackward(batch, lf, 0);
    assertEquals(ld.lossSum(), lf.lossSum(), 1e-5 * ld.lossSum());
    double[] gd = d.grads().toDoubleArray();
    double[] gf = f.grads().toDoubleArray();
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < gd.length; i++) {
      scale = Math.max(scale, Math.abs(gd[i]));
      diff = Math.max(diff, Math.abs(gd[i] - gf[i]));
    }
    assertTrue(diff < 1e-5 * scale, "gradient difference " + diff + " vs scale " + scale);
  }
}
