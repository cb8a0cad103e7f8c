package io.sparklstm.ml.param;

import io.sparklstm.optim.BlockMomentum;
import org.apache.spark.ml.param.Param;

/**
 * The settings every LSTM estimator takes, with setters that return the estimator itself
 * ({@code S}), declared once for all of them. Fitted models share the getters (they carry the
 * settings they were trained with) but not these setters.
 *
 * @param <S> the estimator class
 */
public interface EstimatorSetters<S extends EstimatorSetters<S>>
    extends ModelParams, TextParams, OptimizerParams, TrainingLoopParams, AveragingParams {

  default S setInputKind(String value) {
    return with(inputKind(), value);
  }

  default S setEmbeddingSize(int value) {
    return with(embeddingSize(), value);
  }

  default S setHiddenSize(int value) {
    return with(hiddenSize(), value);
  }

  default S setNumLayers(int value) {
    return with(numLayers(), value);
  }

  default S setDropoutInput(double value) {
    return with(dropoutInput(), value);
  }

  default S setDropoutRecurrent(double value) {
    return with(dropoutRecurrent(), value);
  }

  default S setDropoutOutput(double value) {
    return with(dropoutOutput(), value);
  }

  default S setVocabLevel(String value) {
    return with(vocabLevel(), value);
  }

  default S setVocabMinCount(int value) {
    return with(vocabMinCount(), value);
  }

  default S setVocabMaxSize(int value) {
    return with(vocabMaxSize(), value);
  }

  default S setTokenizer(String value) {
    return with(tokenizer(), value);
  }

  default S setTokenPattern(String value) {
    return with(tokenPattern(), value);
  }

  default S setLowercase(boolean value) {
    return with(lowercase(), value);
  }

  default S setOptimizer(String value) {
    return with(optimizer(), value);
  }

  default S setLearningRate(double value) {
    return with(learningRate(), value);
  }

  default S setMomentum(double value) {
    return with(momentum(), value);
  }

  default S setNesterov(boolean value) {
    return with(nesterov(), value);
  }

  default S setBeta1(double value) {
    return with(beta1(), value);
  }

  default S setBeta2(double value) {
    return with(beta2(), value);
  }

  default S setEpsilon(double value) {
    return with(epsilon(), value);
  }

  default S setRho(double value) {
    return with(rho(), value);
  }

  default S setL2(double value) {
    return with(l2(), value);
  }

  default S setClipNorm(double value) {
    return with(clipNorm(), value);
  }

  default S setSchedule(String value) {
    return with(schedule(), value);
  }

  default S setScheduleEvery(long value) {
    return with(scheduleEvery(), value);
  }

  default S setScheduleGamma(double value) {
    return with(scheduleGamma(), value);
  }

  default S setScheduleFloor(double value) {
    return with(scheduleFloor(), value);
  }

  default S setScheduleTotal(long value) {
    return with(scheduleTotal(), value);
  }

  default S setWarmup(long value) {
    return with(warmup(), value);
  }

  default S setEpochs(int value) {
    return with(epochs(), value);
  }

  default S setBatchSize(int value) {
    return with(batchSize(), value);
  }

  default S setBatchScope(String value) {
    return with(batchScope(), value);
  }

  default S setLearningRateScaling(String value) {
    return with(learningRateScaling(), value);
  }

  default S setLearningRateScalingWarmup(long value) {
    return with(learningRateScalingWarmup(), value);
  }

  default S setSeed(long value) {
    return with(seed(), value);
  }

  default S setMaxRounds(long value) {
    return with(maxRounds(), value);
  }

  default S setMaxSeconds(double value) {
    return with(maxSeconds(), value);
  }

  default S setNumPartitions(int value) {
    return with(numPartitions(), value);
  }

  default S setAverageEvery(int value) {
    return with(averageEvery(), value);
  }

  default S setAverageOptimizerState(boolean value) {
    return with(averageOptimizerState(), value);
  }

  default S setBlockMomentum(BlockMomentum value) {
    return with(blockMomentum(), value);
  }

  /** Sets {@code param} (validated by Spark) and returns this estimator. */
  @SuppressWarnings("unchecked")
  private <T> S with(Param<T> param, T value) {
    set(param, value);
    return (S) this;
  }
}
