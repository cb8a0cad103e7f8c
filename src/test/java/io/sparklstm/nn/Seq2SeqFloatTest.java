package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    FloatKernelsTest.assertGradientsAgree(d.grads(), f.grads());
  }
}
