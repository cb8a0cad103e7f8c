package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import org.junit.jupiter.api.Test;

/** The forward pass of a tiny LSTM (2 inputs, 2 hidden units, 3 steps) against hand values. */
class LstmForwardTest {

  /**
   * Parameters are k-th value 0.1 * ((k mod 7) - 3) in layout order (W_x [2x8], W_h [2x8], b[8]),
   * inputs x_1 = (1, 0.5), x_2 = (-0.5, 1), x_3 = (0.25, -1), state from zero.
   *
   * <p>Step 1 by hand, unit 0: z_g = b_4 + x.W_x[:,4] = -0.2 + 0.1 + 0.5 * 0.2 = 0, so g = 0 and
   * c_1 = f * 0 + i * 0 = 0, h_1 = 0. Unit 1: z_i = 0.2 - 0.2 - 0.05 = -0.05,
   * z_f = -0.3 + 0 + 0.05 = -0.25, z_g = -0.1 + 0.2 + 0.15 = 0.25, z_o = 0.1 - 0.3 - 0.1 = -0.3;
   * c_1 = sigmoid(-0.05) tanh(0.25) = 0.48750260 * 0.24491866 = 0.11939849,
   * h_1 = sigmoid(-0.3) tanh(c_1) = 0.42555748 * 0.11883430 = 0.05057083.
   * Steps 2 and 3 were computed with the same formulas in plain scalar code.
   */
  @Test
  void matchesHandComputedValues() {
    ModelSpec spec = new ModelSpec(InputKind.DENSE, 2, 0, 2, 1, HeadKind.LAST_STEP, 2);
    LstmNetwork net = new LstmNetwork(spec, Precision.DOUBLE, 1, 3);
    ParamLayout.Tensor out = net.layout().get("out.w");
    for (int k = 0; k < out.offset(); k++) {
      net.params().set(k, 0.1 * ((k % 7) - 3));
    }
    float[] x = {1f, 0.5f, -0.5f, 1f, 0.25f, -1f};
    double[][] expectedH = {
        {0.0, 0.050570834521719676},
        {-0.012941428383902994, 0.05290539585030349},
        {-0.13263573499351144, -0.08335911769095598}};
    double[][] expectedC = {
        {0.0, 0.11939848557141294},
        {-0.03335288967926027, 0.10359962158692634},
        {-0.2279071871859051, -0.1509733179240592}};
    RecurrentState state = RecurrentState.zeros(net, 1);
    for (int t = 0; t < 3; t++) {
      float[] step = {x[2 * t], x[2 * t + 1]};
      net.forward(new Batch(1, 1, null, step, new int[] {0}, null), state, new LossTotals());
      for (int u = 0; u < 2; u++) {
        assertEquals(expectedH[t][u], state.h(0).get(u), 1e-15, "h_" + (t + 1) + "[" + u + "]");
        assertEquals(expectedC[t][u], state.c(0).get(u), 1e-15, "c_" + (t + 1) + "[" + u + "]");
      }
    }
    // The same three steps as one window end in the same state.
    RecurrentState whole = RecurrentState.zeros(net, 1);
    net.forward(new Batch(1, 3, null, x, new int[] {0}, null), whole, new LossTotals());
    assertEquals(expectedH[2][0], whole.h(0).get(0), 1e-15);
    assertEquals(expectedH[2][1], whole.h(0).get(1), 1e-15);
  }
}
