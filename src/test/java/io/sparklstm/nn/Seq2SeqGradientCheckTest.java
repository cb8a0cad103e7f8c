package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The encoder-decoder's analytic gradient against central finite differences (double), for
 * every tensor, with ragged padding on both sides: through the head, the attention, the decoder,
 * the bridge from the encoder's final states and the encoder.
 */
class Seq2SeqGradientCheckTest {
  /** Input, recurrent and output dropout of the checks with dropout (fixed masks: one seed). */
  static final Dropout DROPOUT = new Dropout(0.3, 0.4, 0.25);

  @ParameterizedTest(name = "attention {0}, bidirectional {1}, layers {2}, dropout {3}")
  @CsvSource({"false, false, 2, false", "true, false, 2, false", "false, true, 2, false",
      "true, true, 2, false", "true, true, 1, false", "true, true, 2, true",
      "false, false, 2, true", "true, false, 1, true"})
  void analyticGradientMatchesFiniteDifferences(boolean attention, boolean bidirectional,
      int layers, boolean dropout) {
    Seq2SeqSpec spec = new Seq2SeqSpec(5, 6, 3, layers, bidirectional, attention,
        dropout ? DROPOUT : Dropout.NONE);
    Seq2SeqNetwork net = new Seq2SeqNetwork(spec, Precision.DOUBLE, 3, 5, 4);
    net.initialize(11);
    Seq2SeqBatch batch = randomBatch(spec, 3, 5, 4, 17);
    long maskSeed = 29;
    net.forwardBackward(batch, new LossTotals(), maskSeed);
    double[] analytic = net.grads().toDoubleArray();
    DoubleSupplier loss = () -> {
      LossTotals t = new LossTotals();
      net.forward(batch, t, maskSeed);
      return t.meanLoss();
    };
    if (dropout) { // the masks act: the training loss is not the evaluation loss
      LossTotals eval = new LossTotals();
      net.forward(batch, eval);
      assertTrue(Math.abs(eval.meanLoss() - loss.getAsDouble()) > 1e-6);
    }
    StringBuilder report = new StringBuilder();
    double worst = 0;
    for (ParamLayout.Tensor t : net.layout().tensors()) {
      double e = GradientCheckTest.maxRelativeError(net.params(), t.offset(), t.size(), analytic,
          t.offset(), loss);
      report.append(String.format("%s=%.2e ", t.name(), e));
      worst = Math.max(worst, e);
      boolean silent = true;
      for (int i = 0; i < t.size(); i++) {
        silent &= analytic[t.offset() + i] == 0;
      }
      assertTrue(!silent, t.name() + " gets no gradient");
    }
    System.out.println("seq2seq " + spec + " max relative error " + report);
    assertTrue(worst <= GradientCheckTest.TOLERANCE, "max relative error " + worst + ": "
        + report);
  }

  /**
   * Evaluation of a model with dropout is, bit for bit, the same weights' evaluation without
   * dropout, and a training pass draws the same masks from the same seed.
   */
  @Test
  void dropoutActsOnlyInTraining() {
    Seq2SeqSpec plain = new Seq2SeqSpec(5, 6, 3, 2, true, true);
    Seq2SeqSpec dropped = new Seq2SeqSpec(5, 6, 3, 2, true, true, DROPOUT);
    Seq2SeqNetwork a = new Seq2SeqNetwork(plain, Precision.DOUBLE, 3, 5, 4);
    Seq2SeqNetwork b = new Seq2SeqNetwork(dropped, Precision.DOUBLE, 3, 5, 4);
    a.initialize(5);
    b.initialize(5);
    Seq2SeqBatch batch = randomBatch(plain, 3, 5, 4, 7);
    LossTotals ta = new LossTotals();
    LossTotals tb = new LossTotals();
    a.forward(batch, ta);
    b.forward(batch, tb);
    assertEquals(ta.lossSum(), tb.lossSum(), 0.0);
    b.forwardBackward(batch, new LossTotals(), 3);
    double[] first = b.grads().toDoubleArray();
    b.forwardBackward(batch, new LossTotals(), 4);
    b.forwardBackward(batch, new LossTotals(), 3);
    org.junit.jupiter.api.Assertions.assertArrayEquals(first, b.grads().toDoubleArray(), 0.0);
    assertThrows(IllegalStateException.class,
        () -> b.forwardBackward(batch, new LossTotals()));
  }

  /**
   * Padding changes nothing: a pair alone gives the same loss as in a batch with longer pairs
   * (its padded source steps neither reach the final state nor the attention).
   */
  @Test
  void paddingIsInvisible() {
    Seq2SeqSpec spec = new Seq2SeqSpec(5, 6, 3, 2, true, true);
    Seq2SeqNetwork net = new Seq2SeqNetwork(spec, Precision.DOUBLE, 3, 5, 4);
    net.initialize(3);
    Seq2SeqBatch batch = randomBatch(spec, 3, 5, 4, 5);
    int b = 2; // the shortest pair on both sides
    int ts = 0;
    int td = 0;
    for (int t = 0; t < 5; t++) {
      ts += batch.sourceMask()[t * 3 + b] ? 1 : 0;
    }
    for (int t = 0; t < 4; t++) {
      td = batch.targetMask()[t * 3 + b] ? t + 1 : td;
    }
    int[] src = new int[ts];
    int[] in = new int[td];
    int[] out = new int[td];
    boolean[] mask = new boolean[td];
    for (int t = 0; t < ts; t++) {
      src[t] = batch.source()[t * 3 + b];
    }
    for (int t = 0; t < td; t++) {
      in[t] = batch.input()[t * 3 + b];
      out[t] = batch.targets()[t * 3 + b];
      mask[t] = batch.targetMask()[t * 3 + b];
    }
    LossTotals alone = new LossTotals();
    net.forward(new Seq2SeqBatch(1, ts, src, null, td, in, out, mask), alone);
    LossTotals all = new LossTotals();
    net.forward(batch, all);
    double sum = 0;
    int row = 0;
    for (int t = 0; t < 4; t++) {
      if (batch.targetMask()[t * 3 + b]) {
        sum -= Math.log(net.probability(t * 3 + b, out[t]));
        row++;
      }
    }
    assertEquals(alone.count(), row);
    assertEquals(alone.lossSum(), sum, 1e-12);
  }

  /**
   * Random pairs; sequence b has {@code sourceSteps - b} source tokens and
   * {@code targetSteps - b} target steps, and step 1 of sequence 0's target is padded too.
   */
  static Seq2SeqBatch randomBatch(Seq2SeqSpec spec, int bsz, int sourceSteps, int targetSteps,
      long seed) {
    Rng rng = new Rng(seed);
    int[] src = new int[bsz * sourceSteps];
    boolean[] srcMask = new boolean[src.length];
    for (int t = 0; t < sourceSteps; t++) {
      for (int b = 0; b < bsz; b++) {
        src[t * bsz + b] = rng.nextInt(spec.sourceVocab());
        srcMask[t * bsz + b] = t < Math.max(1, sourceSteps - b);
      }
    }
    int[] in = new int[bsz * targetSteps];
    int[] out = new int[in.length];
    boolean[] mask = new boolean[in.length];
    for (int t = 0; t < targetSteps; t++) {
      for (int b = 0; b < bsz; b++) {
        in[t * bsz + b] = t == 0 ? Seq2SeqSpec.EOS : rng.nextInt(spec.targetVocab());
        out[t * bsz + b] = rng.nextInt(spec.targetVocab());
        mask[t * bsz + b] = t < Math.max(1, targetSteps - b);
      }
    }
    mask[bsz] = false;
    return new Seq2SeqBatch(bsz, sourceSteps, src, srcMask, targetSteps, in, out, mask);
  }
}
