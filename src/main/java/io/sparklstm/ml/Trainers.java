package io.sparklstm.ml;

import io.sparklstm.ml.param.BlockMomentum;
import io.sparklstm.ml.param.EstimatorSetters;
import io.sparklstm.ml.param.OptimizerParams;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.optim.LearningRateSchedule;
import io.sparklstm.optim.OptimizerSpec;
import io.sparklstm.optim.UpdateRule;
import io.sparklstm.spark.SparkTrainer;
import io.sparklstm.spark.SparkTrainingConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/** The estimators' settings as the trainer's records: the one translation from Params. */
final class Trainers {
  private Trainers() {}

  /** A trainer for {@code spec}; {@code window} is the TBPTT window or the longest sequence. */
  static SparkTrainer trainer(JavaSparkContext sc, EstimatorSetters<?> p, ModelSpec spec,
      int window) {
    // SparkTrainingConfig still takes auto as a sentinel; the setting itself is typed.
    BlockMomentum m = p.getBlockMomentum();
    double momentum = m instanceof BlockMomentum.Fixed f ? f.value()
        : SparkTrainingConfig.AUTO_BLOCK_MOMENTUM;
    SparkTrainingConfig config = new SparkTrainingConfig(spec, optimizer(p), p.getBatchSize(),
        window, p.getEpochs(), p.getNumPartitions(), p.getAverageEvery(),
        p.getAverageOptimizerState(), momentum, p.getSeed());
    return new SparkTrainer(sc, config).stopAfterRounds(p.getMaxRounds())
        .stopAfterSeconds(p.getMaxSeconds());
  }

  static OptimizerSpec optimizer(OptimizerParams p) {
    UpdateRule rule = switch (p.getOptimizer()) {
      case "sgd" -> new UpdateRule.Sgd(p.getMomentum(), p.getNesterov());
      case "rmsprop" -> new UpdateRule.RmsProp(p.getRho(), p.getEpsilon());
      default -> new UpdateRule.Adam(p.getBeta1(), p.getBeta2(), p.getEpsilon());
    };
    LearningRateSchedule schedule = switch (p.getSchedule()) {
      case "step" -> new LearningRateSchedule.Step(p.getScheduleEvery(), p.getScheduleGamma());
      case "exponential" -> new LearningRateSchedule.Exponential(p.getScheduleGamma());
      case "cosine" -> new LearningRateSchedule.Cosine(p.getScheduleTotal(),
          p.getScheduleFloor());
      default -> new LearningRateSchedule.Constant();
    };
    return new OptimizerSpec(rule, p.getLearningRate(), schedule, p.getL2(), p.getClipNorm());
  }

  /** Where a model came from, as the jobs record it. */
  static Map<String, Object> provenance(JavaSparkContext sc, long seed, String data) {
    String version = Trainers.class.getPackage().getImplementationVersion();
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("sparkLstm", version == null ? "dev" : version);
    p.put("spark", sc.version());
    p.put("java", System.getProperty("java.version"));
    p.put("seed", Long.toString(seed));
    p.put("data", data);
    return p;
  }
}
