package io.sparklstm.ml;

import io.sparklstm.ml.param.EstimatorSetters;
import io.sparklstm.ml.param.OptimizerParams;
import io.sparklstm.ml.param.ModelParams;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.ModelSpec.Pooling;
import io.sparklstm.optim.LearningRateSchedule;
import io.sparklstm.optim.OptimizerSpec;
import io.sparklstm.optim.UpdateRule;
import io.sparklstm.spark.SparkTrainer;
import io.sparklstm.spark.SparkTrainingConfig;
import io.sparklstm.spark.Task;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Settings as the trainer's records: the one translation from Params, which the estimators and
 * {@code jobs/train} both train through, so that the two cannot diverge.
 */
public final class Trainers {
  private Trainers() {}

  /**
   * The network {@code p} describes for {@code task}: {@code input} of {@code inputSize} (the
   * vocabulary, or the features' width), {@code outputs} classes or tokens, the layers' directions
   * and the head's pooling (a classifier's settings) and {@code p}'s dropout.
   */
  public static ModelSpec spec(ModelParams p, Task<?> task, InputKind input, int inputSize,
      int outputs, boolean bidirectional, Pooling pooling) {
    return new ModelSpec(input, inputSize, input == InputKind.EMBEDDING ? p.getEmbeddingSize()
        : 0, p.getHiddenSize(), p.getNumLayers(), task.head(), outputs)
        .with(bidirectional, pooling, p.getDropout());
  }

  /** The input of a network over tokens: a learned embedding, or one-hot ids. */
  public static InputKind tokenInput(ModelParams p) {
    return p.getInputKind().equals("embedding") ? InputKind.EMBEDDING : InputKind.TOKENS;
  }

  /**
   * A trainer for {@code spec} with {@code partitions} shards (0: Spark's default parallelism);
   * {@code window} is the TBPTT window or the longest sequence.
   */
  public static SparkTrainer trainer(JavaSparkContext sc, EstimatorSetters<?> p, ModelSpec spec,
      int window, int partitions) {
    return new SparkTrainer(sc, config(p, spec, window,
        SparkTrainingConfig.partitions(sc, partitions)))
        .stopAfterRounds(p.getMaxRounds()).stopAfterSeconds(p.getMaxSeconds())
        .divergenceFactor(p.getDivergenceFactor());
  }

  /** What {@link #trainer} trains with on {@code partitions} (at least 1) shards. */
  public static SparkTrainingConfig config(EstimatorSetters<?> p, ModelSpec spec, int window,
      int partitions) {
    double factor = p.learningRateFactor(partitions);
    long warmup = factor == 1 ? p.getWarmup()
        : Math.max(p.getWarmup(), p.getLearningRateScalingWarmup());
    return new SparkTrainingConfig(spec, optimizer(p, factor, warmup),
        p.batchPerPartition(partitions),
        window, p.getEpochs(), partitions, p.getAverageEvery(),
        p.getAverageOptimizerState(), p.getBlockMomentum(), p.getSeed());
  }

  /** The optimizer {@code p} asks for, as one partition trains with it. */
  public static OptimizerSpec optimizer(OptimizerParams p) {
    return optimizer(p, 1, p.getWarmup());
  }

  /**
   * The optimizer {@code p} asks for, its learning rate multiplied by {@code factor} (1 leaves
   * it exactly as set) and warmed up over {@code warmup} updates (0: not).
   */
  static OptimizerSpec optimizer(OptimizerParams p, double factor, long warmup) {
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
    if (warmup > 0) {
      schedule = new LearningRateSchedule.Warmup(warmup, schedule);
    }
    return new OptimizerSpec(rule, p.getLearningRate() * factor, schedule, p.getL2(),
        p.getClipNorm());
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
