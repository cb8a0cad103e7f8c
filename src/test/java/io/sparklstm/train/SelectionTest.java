package io.sparklstm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pure transition of {@link Selection}: best so far, patience, plateau, and its record. */
class SelectionTest {
  /** Feeds {@code values} as the evaluations after epochs 1, 2, ... */
  private static Selection run(Selection.Rules rules, double... values) {
    Selection s = Selection.INITIAL;
    for (int i = 0; i < values.length; i++) {
      s = s.after(rules, values[i], i + 1, 0);
    }
    return s;
  }

  @Test
  void keepsTheLowestLossAndStopsAfterThePatience() {
    Selection.Rules loss = new Selection.Rules(false, 0, 3, 0, 0.5, 0);
    Selection s = run(loss, 0.9, 0.7, 0.6, 0.65, 0.7);
    assertEquals(0.6, s.best());
    assertEquals(3, s.bestEpoch());
    assertEquals(2, s.sinceBest());
    assertFalse(s.stop());
    s = s.after(loss, 0.8, 6, 0);
    assertTrue(s.stop(), "three evaluations without improvement");
    assertEquals(3, s.bestEpoch());
    assertEquals(1.0, s.rateScale(), "no plateau rule");
    // an improvement resets the count
    assertFalse(run(loss, 0.9, 1, 1, 0.8, 1, 1).stop());
  }

  @Test
  void accuracyIsHigherIsBetterAndMinDeltaAsksForMore() {
    Selection.Rules acc = new Selection.Rules(true, 0.01, 0, 0, 0.5, 0);
    Selection s = run(acc, 0.80, 0.805, 0.83, 0.835);
    assertEquals(0.83, s.best());
    assertEquals(3, s.bestEpoch());
    assertEquals(1, s.sinceBest());
    assertFalse(s.stop(), "patience 0: never");
    // a value that is not a number never improves, and a first NaN leaves no best
    assertEquals(1, run(acc, 0.5, Double.NaN).sinceBest());
    assertFalse(run(acc, Double.NaN).started());
  }

  @Test
  void reducesTheRateAfterEachPlateauDownToItsFloor() {
    Selection.Rules plateau = new Selection.Rules(false, 0, 0, 2, 0.5, 0.3);
    double[] scales = new double[7];
    Selection s = Selection.INITIAL;
    double[] values = {1.0, 1.1, 1.2, 1.3, 0.9, 1.0, 1.0};
    for (int i = 0; i < values.length; i++) {
      s = s.after(plateau, values[i], i + 1, 0);
      scales[i] = s.rateScale();
    }
    // two without improvement: x0.5; two more: x0.25, held at the floor 0.3; an improvement
    // resets the count, not the rate
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        new double[] {1, 1, 0.5, 0.5, 0.5, 0.5, 0.3}, scales);
  }

  @Test
  void itsFieldsRoundTrip() {
    Selection s = run(new Selection.Rules(false, 0, 5, 1, 0.1, 0), 0.123456789012345, 0.2);
    assertEquals(s, Selection.fromFields(s.fields()));
    assertEquals(Selection.INITIAL, Selection.fromFields(null));
  }
}
