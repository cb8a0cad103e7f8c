package io.sparklstm.ml.param;

import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/** The update rule, its learning-rate schedule, weight decay and gradient clipping. */
public interface OptimizerParams extends Params {
  Setting.Texts OPTIMIZER = Setting.oneOf("optimizer", "optim.name", "adam",
      List.of("adam", "sgd", "rmsprop"), "update rule");
  Setting.Numbers LEARNING_RATE = Setting.number("learningRate", "optim.lr", 0.002, 1e-12,
      Float.MAX_VALUE, "learning rate");
  Setting.Numbers MOMENTUM = Setting.number("momentum", "optim.momentum", 0.9, 0, 0.999999,
      "sgd momentum");
  Setting.Flags NESTEROV = Setting.flag("nesterov", "optim.nesterov", false,
      "sgd: Nesterov momentum");
  Setting.Numbers BETA1 = Setting.number("beta1", "optim.beta1", 0.9, 0, 0.999999,
      "adam first-moment decay");
  Setting.Numbers BETA2 = Setting.number("beta2", "optim.beta2", 0.999, 0, 0.999999999,
      "adam second-moment decay");
  Setting.Numbers EPSILON = Setting.number("epsilon", "optim.epsilon", 1e-8, 1e-30, 1,
      "adam/rmsprop denominator epsilon");
  Setting.Numbers RHO = Setting.number("rho", "optim.rho", 0.99, 0, 0.999999, "rmsprop decay");
  Setting.Numbers L2 = Setting.number("l2", "optim.l2", 0, 0, 1e3,
      "L2 weight decay on weights (not biases)");
  Setting.Numbers CLIP_NORM = Setting.number("clipNorm", "optim.clip", 5.0, 0, 1e9,
      "global gradient-norm clip; 0 disables");
  Setting.Texts SCHEDULE = Setting.oneOf("schedule", "optim.schedule", "constant",
      List.of("constant", "step", "exponential", "cosine"),
      "learning-rate schedule over updates");
  Setting.Longs SCHEDULE_EVERY = Setting.longInteger("scheduleEvery", "optim.schedule.every",
      1000, 1, Long.MAX_VALUE, "step schedule: updates per decay");
  Setting.Numbers SCHEDULE_GAMMA = Setting.number("scheduleGamma", "optim.schedule.gamma", 0.5,
      1e-9, 1, "step/exponential schedule: decay factor");
  Setting.Numbers SCHEDULE_FLOOR = Setting.number("scheduleFloor", "optim.schedule.floor", 0, 0,
      1e3, "cosine schedule: final learning rate");
  Setting.Longs SCHEDULE_TOTAL = Setting.longInteger("scheduleTotal", "optim.schedule.total",
      10_000, 1, Long.MAX_VALUE, "cosine schedule: updates to reach the floor");
  Setting.Longs WARMUP = Setting.longInteger("warmup", "optim.warmup", 0, 0, Long.MAX_VALUE,
      "linear learning-rate warmup over this many updates (0: none): update k takes (k + 1) / N "
          + "of the scheduled rate (the schedule counts from the first update; with "
          + "average.optimizer.state = false the count restarts every round)");

  default Param<String> optimizer() {
    return OPTIMIZER.param(this);
  }

  default DoubleParam learningRate() {
    return LEARNING_RATE.param(this);
  }

  default DoubleParam momentum() {
    return MOMENTUM.param(this);
  }

  default BooleanParam nesterov() {
    return NESTEROV.param(this);
  }

  default DoubleParam beta1() {
    return BETA1.param(this);
  }

  default DoubleParam beta2() {
    return BETA2.param(this);
  }

  default DoubleParam epsilon() {
    return EPSILON.param(this);
  }

  default DoubleParam rho() {
    return RHO.param(this);
  }

  default DoubleParam l2() {
    return L2.param(this);
  }

  default DoubleParam clipNorm() {
    return CLIP_NORM.param(this);
  }

  default Param<String> schedule() {
    return SCHEDULE.param(this);
  }

  default LongParam scheduleEvery() {
    return SCHEDULE_EVERY.param(this);
  }

  default DoubleParam scheduleGamma() {
    return SCHEDULE_GAMMA.param(this);
  }

  default DoubleParam scheduleFloor() {
    return SCHEDULE_FLOOR.param(this);
  }

  default LongParam scheduleTotal() {
    return SCHEDULE_TOTAL.param(this);
  }

  default LongParam warmup() {
    return WARMUP.param(this);
  }

  default long getWarmup() {
    return WARMUP.get(this);
  }

  default String getOptimizer() {
    return OPTIMIZER.get(this);
  }

  default double getLearningRate() {
    return LEARNING_RATE.get(this);
  }

  default double getMomentum() {
    return MOMENTUM.get(this);
  }

  default boolean getNesterov() {
    return NESTEROV.get(this);
  }

  default double getBeta1() {
    return BETA1.get(this);
  }

  default double getBeta2() {
    return BETA2.get(this);
  }

  default double getEpsilon() {
    return EPSILON.get(this);
  }

  default double getRho() {
    return RHO.get(this);
  }

  default double getL2() {
    return L2.get(this);
  }

  default double getClipNorm() {
    return CLIP_NORM.get(this);
  }

  default String getSchedule() {
    return SCHEDULE.get(this);
  }

  default long getScheduleEvery() {
    return SCHEDULE_EVERY.get(this);
  }

  default double getScheduleGamma() {
    return SCHEDULE_GAMMA.get(this);
  }

  default double getScheduleFloor() {
    return SCHEDULE_FLOOR.get(this);
  }

  default long getScheduleTotal() {
    return SCHEDULE_TOTAL.get(this);
  }
}
