package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.ModelSpec.Pooling;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dropout acts in training only: evaluation gives, bit for bit, the outputs of the same weights
 * without dropout, also right after a training pass; a training pass's masks follow from its
 * seed alone.
 */
class DropoutTest {
  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Precision precision : Precision.values()) {
      for (InputKind in : InputKind.values()) {
        for (HeadKind head : HeadKind.values()) {
          for (boolean bi : new boolean[] {false, true}) {
            Pooling pooling = head == HeadKind.LAST_STEP && bi ? Pooling.MEAN : Pooling.LAST;
            all.add(Arguments.of(precision, GradientCheckTest.spec(in, head)
                .with(bi, pooling, Dropout.NONE)));
          }
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void evaluationGivesTheOutputsOfTheSameWeightsWithoutDropout(Precision precision,
      ModelSpec plain) {
    ModelSpec dropped = plain.with(plain.bidirectional(), plain.pooling(),
        new Dropout(0.3, 0.5, 0.4));
    int bsz = 3;
    int steps = 6;
    LstmNetwork without = new LstmNetwork(plain, precision, bsz, steps);
    without.initialize(5);
    LstmNetwork with = new LstmNetwork(dropped, precision, bsz, steps);
    with.params().setAll(without.params().toDoubleArray());
    Batch batch = TestBatches.random(plain, bsz, steps, 3, true);

    LossTotals first = new LossTotals();
    with.forward(batch, RecurrentState.zeros(with, bsz), first, 42);
    LossTotals again = new LossTotals();
    with.forward(batch, RecurrentState.zeros(with, bsz), again, 42);
    LossTotals other = new LossTotals();
    with.forward(batch, RecurrentState.zeros(with, bsz), other, 43);
    assertEquals(first.lossSum(), again.lossSum(), 0.0, "one seed, one set of masks");
    assertNotEquals(first.lossSum(), other.lossSum(), "another seed, other masks");

    RecurrentState s1 = RecurrentState.zeros(without, bsz);
    RecurrentState s2 = RecurrentState.zeros(with, bsz);
    LossTotals l1 = new LossTotals();
    LossTotals l2 = new LossTotals();
    without.forward(batch, s1, l1);
    with.forward(batch, s2, l2);
    assertNotEquals(l1.lossSum(), first.lossSum(), "training drops something");
    assertEquals(l1.lossSum(), l2.lossSum(), 0.0);
    int rows = plain.head() == HeadKind.EVERY_STEP ? bsz * steps : bsz;
    assertArrayEquals(logits(without, rows), logits(with, rows));
    for (int l = 0; l < plain.layers(); l++) {
      assertArrayEquals(s1.h(l).toDoubleArray(), s2.h(l).toDoubleArray());
    }
    assertThrows(IllegalStateException.class,
        () -> with.forwardBackward(batch, RecurrentState.zeros(with, bsz), new LossTotals()));
  }

  private static double[] logits(LstmNetwork net, int rows) {
    int v = net.spec().outputSize();
    double[] all = new double[rows * v];
    double[] row = new double[v];
    for (int r = 0; r < rows; r++) {
      net.logits(r, row);
      System.arraycopy(row, 0, all, r * v, v);
    }
    return all;
  }
}
