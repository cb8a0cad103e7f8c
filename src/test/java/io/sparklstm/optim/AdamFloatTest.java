package io.sparklstm.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklstm.nn.Precision;
import io.sparklstm.nn.Rng;
import io.sparklstm.nn.Vec;
import org.junit.jupiter.api.Test;

/**
 * Adam on float parameters: every element, whether the vector kernel or the scalar tail updates
 * it, gets the bits of PyTorch's float formula computed here one element at a time.
 */
class AdamFloatTest {
  @Test
  void everyElementGetsTheBitsOfTheFloatFormula() {
    int n = 37; // whole vectors, then a tail
    Rng rng = new Rng(7);
    Vec p = Vec.allocate(Precision.FLOAT, n);
    Vec g = Vec.allocate(Precision.FLOAT, n);
    Vec state = Vec.allocate(Precision.FLOAT, 2 * n);
    float[] ep = new float[n];
    float[] em = new float[n];
    float[] ev = new float[n];
    for (int i = 0; i < n; i++) {
      p.set(i, rng.nextDouble() - 0.5);
      ep[i] = (float) p.get(i);
    }
    UpdateRule.Adam adam = new UpdateRule.Adam(0.9, 0.999, 1e-8);
    double lr = 3e-3;
    for (long step = 1; step <= 3; step++) {
      for (int i = 0; i < n; i++) {
        g.set(i, (rng.nextDouble() - 0.5) * Math.pow(10, i % 7 - 4));
      }
      float stepSize = (float) (lr / (1 - Math.pow(0.9, step)));
      float c2 = (float) Math.sqrt(1 - Math.pow(0.999, step));
      for (int i = 0; i < n; i++) {
        float gi = (float) g.get(i);
        em[i] = em[i] * 0.9f + gi * (1 - 0.9f);
        ev[i] = ev[i] * 0.999f + gi * (1 - 0.999f) * gi;
        ep[i] = ep[i] - em[i] * stepSize / ((float) Math.sqrt(ev[i]) / c2 + 1e-8f);
      }
      adam.apply(p, g, state, lr, step);
    }
    for (int i = 0; i < n; i++) {
      assertEquals(ep[i], (float) p.get(i), 0f, "parameter " + i);
      assertEquals(em[i], (float) state.get(i), 0f, "first moment " + i);
      assertEquals(ev[i], (float) state.get(n + i), 0f, "second moment " + i);
    }
  }
}
