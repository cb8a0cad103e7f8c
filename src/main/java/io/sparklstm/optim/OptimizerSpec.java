package io.sparklstm.optim;

import io.sparklstm.nn.ParamLayout;
import io.sparklstm.nn.Precision;
import java.io.Serializable;

/**
 * Everything that defines an {@link Optimizer} except its state: small and serializable, so a
 * Spark driver can ship it to every task, which builds its own optimizer from it.
 */
public record OptimizerSpec(UpdateRule rule, double learningRate, LearningRateSchedule schedule,
    double l2, double clipNorm) implements Serializable {

  public static OptimizerSpec adam(double learningRate, double clipNorm) {
    return new OptimizerSpec(new UpdateRule.Adam(0.9, 0.999, 1e-8), learningRate,
        new LearningRateSchedule.Constant(), 0, clipNorm);
  }

  public Optimizer build(ParamLayout layout, Precision precision) {
    return new Optimizer(rule, learningRate, schedule, l2, clipNorm, layout, precision);
  }
}
