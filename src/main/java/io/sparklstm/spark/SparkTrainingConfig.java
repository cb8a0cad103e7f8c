package io.sparklstm.spark;

import io.sparklstm.nn.ModelSpec;
import io.sparklstm.optim.OptimizerSpec;
import java.io.Serializable;

/**
 * How the driver trains: the model and optimizer, the per-task minibatch (sequences for a
 * classifier, streams for a language model), the TBPTT window, epochs, partitions, and how often
 * to average.
 *
 * @param batchSize classifier minibatch, or the number of TBPTT streams per partition
 * @param window longest sequence (classifier) or TBPTT window (language model)
 * @param partitions shards of the training data; 0 means Spark's default parallelism
 * @param averageEvery minibatches (or windows) per averaging round; 0 averages once per epoch
 * @param averageOptimizerState average the optimizer state (true) or reset it every round
 * @param blockMomentum momentum on the averaged round update (block-wise model-update filtering,
 *     Chen and Huo 2016): 0 is plain averaging; {@link #AUTO_BLOCK_MOMENTUM} means 1 - 1/N, which
 *     lets N averaged workers progress per round like one worker taking all their steps
 */
public record SparkTrainingConfig(ModelSpec spec, OptimizerSpec optimizer, int batchSize,
    int window, int epochs, int partitions, int averageEvery, boolean averageOptimizerState,
    double blockMomentum, long seed) implements Serializable {

  /** Block momentum 1 - 1/N for N partitions. */
  public static final double AUTO_BLOCK_MOMENTUM = -1;

  public SparkTrainingConfig {
    if (batchSize < 1 || window < 1 || epochs < 1 || partitions < 0 || averageEvery < 0) {
      throw new IllegalArgumentException("batch, window and epochs must be positive, partitions "
          + "and averageEvery not negative: " + batchSize + ", " + window + ", " + epochs + ", "
          + partitions + ", " + averageEvery);
    }
    if (blockMomentum != AUTO_BLOCK_MOMENTUM && (blockMomentum < 0 || blockMomentum >= 1)) {
      throw new IllegalArgumentException("block momentum must be in [0, 1) or auto: "
          + blockMomentum);
    }
  }

  public SparkTrainingConfig withPartitions(int n) {
    return new SparkTrainingConfig(spec, optimizer, batchSize, window, epochs, n, averageEvery,
        averageOptimizerState, blockMomentum, seed);
  }

  /** The block momentum in force for {@code partitions} partitions. */
  public double effectiveBlockMomentum() {
    return blockMomentum == AUTO_BLOCK_MOMENTUM ? 1.0 - 1.0 / partitions : blockMomentum;
  }
}
