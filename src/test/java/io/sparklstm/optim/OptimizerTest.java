package io.sparklstm.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ParamLayout;
import io.sparklstm.nn.Precision;
import io.sparklstm.nn.Vec;
import org.junit.jupiter.api.Test;

/** Update rules, clipping, L2 and schedules against values worked out by hand. */
class OptimizerTest {
  private final ParamLayout layout = new ParamLayout(ModelSpec.languageModel(2, 1, 1));

  private Vec vec(double... v) {
    Vec x = Vec.allocate(Precision.DOUBLE, v.length);
    x.setAll(v);
    return x;
  }

  private Vec filled(double v) {
    Vec x = Vec.allocate(Precision.DOUBLE, layout.size());
    x.fill(v);
    return x;
  }

  @Test
  void adamFirstStepMovesEachParameterByTheLearningRate() {
    // After one step m_hat = g and v_hat = g^2, so the change is lr * g / (|g| + eps).
    Vec p = filled(1.0);
    Vec g = filled(0.5);
    Optimizer adam = new Optimizer(new UpdateRule.Adam(0.9, 0.999, 1e-8), 0.1,
        new LearningRateSchedule.Constant(), 0, 0, layout, Precision.DOUBLE);
    adam.step(p, g);
    assertEquals(1.0 - 0.1 * 0.5 / (0.5 + 1e-8), p.get(0), 1e-15);
    // Second step with the same gradient: m = 0.5, v = 0.25 after correction, same change.
    adam.step(p, filled(0.5));
    assertEquals(1.0 - 2 * 0.1 * 0.5 / (0.5 + 1e-8), p.get(0), 1e-12);
  }

  @Test
  void sgdMomentumAndNesterov() {
    UpdateRule.Sgd heavy = new UpdateRule.Sgd(0.5, false);
    UpdateRule.Sgd nesterov = new UpdateRule.Sgd(0.5, true);
    Vec p = vec(0);
    Vec s = vec(0);
    heavy.apply(p, vec(1), s, 1, 1);      // v = 1, p = -1
    heavy.apply(p, vec(1), s, 1, 2);      // v = 1.5, p = -2.5
    assertEquals(-2.5, p.get(0), 0);
    Vec q = vec(0);
    Vec t = vec(0);
    nesterov.apply(q, vec(1), t, 1, 1);   // v = 1, step g + mu v = 1.5
    assertEquals(-1.5, q.get(0), 0);
  }

  @Test
  void rmsPropScalesByRunningRms() {
    Vec p = vec(0);
    Vec s = vec(0);
    new UpdateRule.RmsProp(0.75, 1e-8).apply(p, vec(2), s, 0.1, 1);
    // v = 0.25 * 4 = 1, step = 0.1 * 2 / (1 + 1e-8)
    assertEquals(-0.2 / (1 + 1e-8), p.get(0), 1e-15);
  }

  @Test
  void clippingScalesToTheGlobalNorm() {
    Vec g = vec(3, 4);
    assertEquals(5.0, GradientClipping.clipGlobalNorm(g, 1.0), 0);
    assertEquals(3 / (5 + 1e-6), g.get(0), 1e-15);
    assertEquals(4 / (5 + 1e-6), g.get(1), 1e-15);
    Vec small = vec(0.3, 0.4);
    GradientClipping.clipGlobalNorm(small, 1.0);
    assertEquals(0.3, small.get(0), 0);
  }

  @Test
  void l2DecaysWeightsButNotBiases() {
    Vec p = filled(2.0);
    Optimizer sgd = new Optimizer(new UpdateRule.Sgd(0, false), 0.5,
        new LearningRateSchedule.Constant(), 0.1, 0, layout, Precision.DOUBLE);
    sgd.step(p, filled(0));
    ParamLayout.Tensor w = layout.get("lstm0.wh");
    ParamLayout.Tensor b = layout.get("lstm0.b");
    assertEquals(2.0 - 0.5 * 0.1 * 2.0, p.get(w.offset()), 1e-15);
    assertEquals(2.0, p.get(b.offset()), 0);
  }

  @Test
  void schedules() {
    assertEquals(1.0, new LearningRateSchedule.Constant().rate(1.0, 99), 0);
    assertEquals(0.25, new LearningRateSchedule.Step(10, 0.5).rate(1.0, 25), 1e-15);
    assertEquals(0.81, new LearningRateSchedule.Exponential(0.9).rate(1.0, 2), 1e-15);
    LearningRateSchedule cos = new LearningRateSchedule.Cosine(100, 0.1);
    assertEquals(1.0, cos.rate(1.0, 0), 1e-15);
    assertEquals(0.55, cos.rate(1.0, 50), 1e-15);
    assertEquals(0.1, cos.rate(1.0, 100), 1e-15);
    assertEquals(0.1, cos.rate(1.0, 500), 1e-15);
  }

  @Test
  void warmupRisesLinearlyOverItsUpdatesOnTopOfTheSchedule() {
    LearningRateSchedule w = new LearningRateSchedule.Warmup(4,
        new LearningRateSchedule.Constant());
    double[] rates = new double[6];
    for (int k = 0; k < rates.length; k++) {
      rates[k] = w.rate(0.1, k);
    }
    assertArrayEquals(new double[] {0.025, 0.05, 0.07500000000000001, 0.1, 0.1, 0.1}, rates);
    // composed with a step schedule that counts from the first update, as without warmup
    LearningRateSchedule ws = new LearningRateSchedule.Warmup(4,
        new LearningRateSchedule.Step(2, 0.5));
    assertEquals(0.1 * 0.5 * 3 / 4, ws.rate(0.1, 2), 0);
    assertEquals(0.025, ws.rate(0.1, 4), 0);
    // the optimizer uses it, times the plateau factor (1 leaves the rate exactly as scheduled)
    Optimizer o = new Optimizer(new UpdateRule.Sgd(0, false), 0.1, w, 0, 0, layout,
        Precision.DOUBLE);
    assertEquals(0.025, o.currentRate(), 0);
    o.setStepCount(7);
    assertEquals(0.1, o.currentRate(), 0);
    o.setRateScale(0.25);
    assertEquals(0.025, o.currentRate(), 0);
  }
}
