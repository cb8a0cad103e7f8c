package io.sparklstm.optim;

import io.sparklstm.nn.ParamLayout;
import io.sparklstm.nn.Precision;
import io.sparklstm.nn.Vec;

/**
 * One training update, in this order: clip the gradient to a global norm, add L2 weight decay
 * (weights only, never biases), and apply the update rule at the scheduled learning rate.
 *
 * <p>State ({@link #state()}, {@link #stepCount()}) mirrors the parameters, so the Spark trainer
 * can average or reset it and checkpoints can store it.
 */
public final class Optimizer {
  private final UpdateRule rule;
  private final LearningRateSchedule schedule;
  private final double learningRate;
  private final double l2;
  private final double clipNorm;
  private final ParamLayout layout;
  private final Vec state;
  private long steps;
  private double rateScale = 1;

  /**
   * @param clipNorm maximum global L2 norm of the gradient; 0 or less disables clipping
   * @param l2 coefficient of 0.5 * l2 * |w|^2 added to the loss for every weight matrix
   */
  public Optimizer(UpdateRule rule, double learningRate, LearningRateSchedule schedule, double l2,
      double clipNorm, ParamLayout layout, Precision precision) {
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learning rate must be positive: " + learningRate);
    }
    if (l2 < 0) {
      throw new IllegalArgumentException("l2 must not be negative: " + l2);
    }
    this.rule = rule;
    this.learningRate = learningRate;
    this.schedule = schedule;
    this.l2 = l2;
    this.clipNorm = clipNorm;
    this.layout = layout;
    this.state = Vec.allocate(precision, rule.stateSlots() * layout.size());
  }

  /** Updates {@code params} in place from {@code grads} (which clipping and L2 modify). */
  public void step(Vec params, Vec grads) {
    if (clipNorm > 0) {
      GradientClipping.clipGlobalNorm(grads, clipNorm);
    }
    if (l2 > 0) {
      for (ParamLayout.Tensor t : layout.tensors()) {
        if (!t.bias()) {
          for (int i = t.offset(), end = t.offset() + t.size(); i < end; i++) {
            grads.add(i, l2 * params.get(i));
          }
        }
      }
    }
    rule.apply(params, grads, state, currentRate(), steps + 1);
    steps++;
  }

  /** The learning rate the next update uses. */
  public double currentRate() {
    return schedule.rate(learningRate, steps) * rateScale;
  }

  /**
   * Multiplies the scheduled learning rate from now on (reduce-on-plateau; 1, the default,
   * leaves it exactly as scheduled).
   */
  public void setRateScale(double scale) {
    this.rateScale = scale;
  }

  public Vec state() {
    return state;
  }

  public long stepCount() {
    return steps;
  }

  public void setStepCount(long steps) {
    this.steps = steps;
  }

  public void reset() {
    state.fill(0);
    steps = 0;
  }
}
