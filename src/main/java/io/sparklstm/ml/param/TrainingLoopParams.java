package io.sparklstm.ml.param;

import io.sparklstm.spark.SparkTrainer;
import java.util.List;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/** How long and in what pieces training runs, and its seed. */
public interface TrainingLoopParams extends Params {
  Setting.Ints EPOCHS = Setting.integer("epochs", "train.epochs", 1, 1, 1_000_000,
      "passes over the training data");
  Setting.Ints BATCH_SIZE = Setting.integer("batchSize", "train.batch", 32, 1, 1_000_000,
      "sequences per minibatch (classification) or parallel streams (language model), per task "
          + "or for all tasks together (batchScope); transform scores scoringBatchSize rows "
          + "together");
  Setting.Texts BATCH_SCOPE = Setting.oneOf("batchScope", "train.batch.scope", "partition",
      List.of("partition", "all"), "partition: batchSize is every task's minibatch, so N "
          + "partitions step on N x batchSize together; all: batchSize is the minibatch of all "
          + "partitions together, each task taking ceil(batchSize / N), at least 1 (N x that "
          + "together: batchSize when N divides it, N when N > batchSize)");
  Setting.Texts LR_SCALING = Setting.oneOf("learningRateScaling", "train.batch.lr.scaling",
      "none", List.of("none", "sqrt"), "none: every task steps at the learning rate; sqrt: at "
          + "the learning rate x sqrt(batchSize / the task's batch), which with batchScope all "
          + "and N partitions dividing the batch is sqrt(N) (Adam's steps on a batch N times "
          + "smaller are about sqrt(N) times shorter where the gradient is noisy)");
  Setting.Longs LR_SCALING_WARMUP = Setting.longInteger("learningRateScalingWarmup",
      "train.batch.lr.warmup", 0, 0, Long.MAX_VALUE, "when learningRateScaling raises the "
          + "rate (a split batch on more than one partition), a linear warmup over this many "
          + "updates, as optim.warmup (the longer of the two applies); 0: none");
  Setting.Longs SEED = Setting.longInteger("seed", "train.seed", 1, Long.MIN_VALUE,
      Long.MAX_VALUE, "seed of initialisation and every shuffle");
  Setting.Longs MAX_ROUNDS = Setting.longInteger("maxRounds", "train.max.rounds", 0, 0,
      Long.MAX_VALUE, "stop after this many averaging rounds (0: train all epochs)");
  Setting.Numbers MAX_SECONDS = Setting.number("maxSeconds", "train.max.seconds", 0, 0, 1e9,
      "training-time budget (0: none): stop at the last round boundary that keeps the rounds' "
          + "wall time within it");

  Setting.Numbers DIVERGENCE_FACTOR = Setting.numberOrOff("divergenceFactor",
      "train.divergence.factor", SparkTrainer.DEFAULT_DIVERGENCE_FACTOR, 1, 1e9,
      "0 (off) or a number in [1, 1e9]", "stop as diverged when a round's mean training loss "
          + "exceeds this many times ln V (V: vocabulary or classes), the loss of a uniform "
          + "guess, where training starts; 0: only a loss or parameter that is not a finite "
          + "number stops a run");

  default IntParam epochs() {
    return EPOCHS.param(this);
  }

  default IntParam batchSize() {
    return BATCH_SIZE.param(this);
  }

  default Param<String> batchScope() {
    return BATCH_SCOPE.param(this);
  }

  default LongParam seed() {
    return SEED.param(this);
  }

  default LongParam maxRounds() {
    return MAX_ROUNDS.param(this);
  }

  default DoubleParam maxSeconds() {
    return MAX_SECONDS.param(this);
  }

  default DoubleParam divergenceFactor() {
    return DIVERGENCE_FACTOR.param(this);
  }

  default int getEpochs() {
    return EPOCHS.get(this);
  }

  default int getBatchSize() {
    return BATCH_SIZE.get(this);
  }

  default String getBatchScope() {
    return BATCH_SCOPE.get(this);
  }

  /**
   * Each task's minibatch (classification, tagging, pairs) or stream count (language model) on
   * {@code partitions} shards. Why "all" exists: with a per-task batch, N partitions take N
   * times fewer steps over the same tokens, and averaging cannot make up the difference at large
   * N (issue 15's study); splitting one batch keeps the steps per token of one worker.
   */
  default int batchPerPartition(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("the partitions must be resolved first: " + partitions);
    }
    return getBatchScope().equals("all") ? share(getBatchSize(), partitions) : getBatchSize();
  }

  /** One task's share of a batch split over {@code partitions}: ceil(batch / N), at least 1. */
  static int share(int batch, int partitions) {
    return Math.max(1, (batch + partitions - 1) / partitions);
  }

  default Param<String> learningRateScaling() {
    return LR_SCALING.param(this);
  }

  default String getLearningRateScaling() {
    return LR_SCALING.get(this);
  }

  default LongParam learningRateScalingWarmup() {
    return LR_SCALING_WARMUP.param(this);
  }

  default long getLearningRateScalingWarmup() {
    return LR_SCALING_WARMUP.get(this);
  }

  /**
   * What the learning rate is multiplied by on {@code partitions} shards: 1, or with sqrt
   * scaling the square root of how many times smaller each task's batch is than batchSize.
   * Why: issue 15's study. A split batch's tasks each keep Adam's second moment of a small
   * batch's gradients, whose noise shortens their steps; block momentum 1 - 1/sqrt(N) alone left
   * 16 partitions at 1.5-1.6x one worker's tokens, with this too at 1.00x (FMNIST, warmed up)
   * and 1.15x (CHARLM, averaging every 10 windows).
   */
  default double learningRateFactor(int partitions) {
    return getLearningRateScaling().equals("sqrt")
        ? Math.sqrt((double) getBatchSize() / batchPerPartition(partitions)) : 1;
  }

  default long getSeed() {
    return SEED.get(this);
  }

  default long getMaxRounds() {
    return MAX_ROUNDS.get(this);
  }

  default double getMaxSeconds() {
    return MAX_SECONDS.get(this);
  }

  default double getDivergenceFactor() {
    return DIVERGENCE_FACTOR.get(this);
  }
}
