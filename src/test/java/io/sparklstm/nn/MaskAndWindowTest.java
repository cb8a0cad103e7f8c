package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.ModelSpec.Pooling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Padding is invisible, and truncated BPTT windows compose exactly. */
class MaskAndWindowTest {

  @ParameterizedTest
  @EnumSource(HeadKind.class)
  void appendedPaddingChangesNeitherLossNorGradient(HeadKind head) {
    ModelSpec spec = new ModelSpec(InputKind.EMBEDDING, 6, 3, 5, 2, head, 4);
    int bsz = 3;
    int steps = 4;
    int padded = 7;
    LstmNetwork net = new LstmNetwork(spec, Precision.DOUBLE, bsz, padded);
    net.initialize(3);
    Batch batch = TestBatches.random(spec, bsz, steps, 5, true);

    Batch longer = withPadding(batch, padded);
    RecurrentState s1 = TestBatches.randomState(net, bsz, 9);
    RecurrentState s2 = TestBatches.copy(net, s1);
    LossTotals l1 = new LossTotals();
    net.forwardBackward(batch, s1, l1);
    double[] g1 = net.grads().toDoubleArray();
    double[] dh1 = net.initialStateGradientH(0).toDoubleArray();
    LossTotals l2 = new LossTotals();
    net.forwardBackward(longer, s2, l2);

    assertEquals(l1.lossSum(), l2.lossSum(), 0.0);
    assertEquals(l1.count(), l2.count());
    assertArrayEquals(g1, net.grads().toDoubleArray(), 0.0);
    assertArrayEquals(dh1, net.initialStateGradientH(0).toDoubleArray(), 0.0);
    for (int l = 0; l < spec.layers(); l++) {
      assertArrayEquals(s1.h(l).toDoubleArray(), s2.h(l).toDoubleArray(), 0.0);
      assertArrayEquals(s1.c(l).toDoubleArray(), s2.c(l).toDoubleArray(), 0.0);
    }
  }

  static Stream<Arguments> raggedCases() {
    List<Arguments> all = new ArrayList<>();
    for (HeadKind head : HeadKind.values()) {
      all.add(Arguments.of(head, false, Pooling.LAST));
      all.add(Arguments.of(head, true, Pooling.LAST));
    }
    for (Pooling pooling : new Pooling[] {Pooling.MEAN, Pooling.MAX}) {
      all.add(Arguments.of(HeadKind.LAST_STEP, false, pooling));
      all.add(Arguments.of(HeadKind.LAST_STEP, true, pooling));
    }
    return all.stream();
  }

  /**
   * Sequences of different lengths share a batch: the batch gradient is the count-weighted mean
   * of each sequence's own gradient (one target per sequence for the last-step head). A sequence
   * alone has no padding after its last real step, so this is also the check that a backward
   * direction starts at each sequence's last real step, and that pooling sees real steps only.
   */
  @ParameterizedTest(name = "{0} head, bidirectional {1}, {2}")
  @MethodSource("raggedCases")
  void raggedBatchEqualsItsSequencesAlone(HeadKind head, boolean bi, Pooling pooling) {
    ModelSpec spec = new ModelSpec(InputKind.TOKENS, 5, 0, 4, 2, head, 3)
        .with(bi, pooling, Dropout.NONE);
    int bsz = 3;
    int steps = 6;
    LstmNetwork net = new LstmNetwork(spec, Precision.DOUBLE, bsz, steps);
    net.initialize(21);
    Batch batch = TestBatches.random(spec, bsz, steps, 8, true);
    LossTotals all = new LossTotals();
    net.forwardBackward(batch, RecurrentState.zeros(net, bsz), all);
    double[] together = net.grads().toDoubleArray();
    int rows = head == HeadKind.EVERY_STEP ? steps : 1;
    double[][] logits = new double[bsz * rows][spec.outputSize()];
    for (int r = 0; r < logits.length; r++) {
      net.logits(head == HeadKind.EVERY_STEP ? (r % steps) * bsz + r / steps : r, logits[r]);
    }

    double[] weighted = new double[together.length];
    LossTotals alone = new LossTotals();
    for (int b = 0; b < bsz; b++) {
      Batch one = column(batch, b, head);
      LossTotals t = new LossTotals();
      net.forwardBackward(one, RecurrentState.zeros(net, 1), t);
      for (int r = 0; r < rows; r++) {
        double[] l = new double[spec.outputSize()];
        net.logits(r, l);
        if (one.isReal(r) || head == HeadKind.LAST_STEP) {
          assertArrayEquals(logits[b * rows + r], l, 1e-12, "sequence " + b + " step " + r);
        }
      }
      double w = (double) t.count() / all.count();
      double[] g = net.grads().toDoubleArray();
      for (int i = 0; i < g.length; i++) {
        weighted[i] += w * g[i];
      }
      alone.add(t);
    }
    assertEquals(all.count(), alone.count());
    assertEquals(all.lossSum(), alone.lossSum(), 1e-12);
    assertArrayEquals(weighted, together, 1e-12);
  }

  /**
   * Two windows of T/2 with carried state give the outputs of one window of T: the same
   * probabilities at every step, the same loss and the same final state.
   */
  @ParameterizedTest
  @EnumSource(Precision.class)
  void twoHalfWindowsWithCarriedStateEqualOneWindow(Precision precision) {
    ModelSpec spec = ModelSpec.languageModel(7, 6, 2);
    int bsz = 2;
    int steps = 8;
    int half = steps / 2;
    LstmNetwork net = new LstmNetwork(spec, precision, bsz, steps);
    net.initialize(4);
    Batch whole = TestBatches.random(spec, bsz, steps, 6, false);
    RecurrentState s = RecurrentState.zeros(net, bsz);
    LossTotals one = new LossTotals();
    net.forward(whole, s, one);
    double[] probs = probabilities(net, steps * bsz, 7);

    RecurrentState carried = RecurrentState.zeros(net, bsz);
    LossTotals two = new LossTotals();
    double[] halves = new double[probs.length];
    for (int w = 0; w < 2; w++) {
      int from = w * half * bsz;
      int to = from + half * bsz;
      Batch part = new Batch(bsz, half, Arrays.copyOfRange(whole.tokens(), from, to), null,
          Arrays.copyOfRange(whole.targets(), from, to), null);
      net.forward(part, carried, two);
      System.arraycopy(probabilities(net, half * bsz, 7), 0, halves, from * 7, half * bsz * 7);
    }
    double tol = precision == Precision.DOUBLE ? 1e-14 : 1e-6;
    assertArrayEquals(probs, halves, tol);
    assertEquals(one.lossSum(), two.lossSum(), tol * one.lossSum());
    for (int l = 0; l < spec.layers(); l++) {
      assertArrayEquals(s.h(l).toDoubleArray(), carried.h(l).toDoubleArray(), tol);
      assertArrayEquals(s.c(l).toDoubleArray(), carried.c(l).toDoubleArray(), tol);
    }
  }

  private static double[] probabilities(LstmNetwork net, int rows, int classes) {
    double[] p = new double[rows * classes];
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < classes; k++) {
        p[r * classes + k] = net.probability(r, k);
      }
    }
    return p;
  }

  /** The batch with padded steps appended after its last step. */
  private static Batch withPadding(Batch b, int steps) {
    int rows = b.batch() * steps;
    int[] tokens = Arrays.copyOf(b.tokens(), rows);
    boolean[] mask = Arrays.copyOf(b.mask(), rows);
    int[] targets = b.targets().length == b.batch() ? b.targets() : Arrays.copyOf(b.targets(), rows);
    return new Batch(b.batch(), steps, tokens, null, targets, mask);
  }

  /** Sequence b of a time-major batch as a batch of one, cut to its real steps. */
  private static Batch column(Batch b, int col, HeadKind head) {
    int steps = b.steps();
    int[] tokens = new int[steps];
    int[] targets = new int[head == HeadKind.EVERY_STEP ? steps : 1];
    boolean[] mask = new boolean[steps];
    for (int t = 0; t < steps; t++) {
      int r = t * b.batch() + col;
      tokens[t] = b.tokens()[r];
      mask[t] = b.isReal(r);
      if (head == HeadKind.EVERY_STEP) {
        targets[t] = b.targets()[r];
      }
    }
    if (head == HeadKind.LAST_STEP) {
      targets[0] = b.targets()[col];
    }
    return new Batch(1, steps, tokens, null, targets, mask);
  }
}
