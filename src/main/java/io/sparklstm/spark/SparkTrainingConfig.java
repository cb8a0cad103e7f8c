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
 */
public record SparkTrainingConfig(ModelSpec spec, OptimizerSpec optimizer, int batchSize,
    int window, int epochs, int partitions, int averageEvery, boolean averageOptimizerState,
    long seed) implements Serializable {

  public SparkTrainingConfig {
    if (batchSize < 1 || window < 1 || epochs < 1 || partitions < 0 || averageEvery < 0) {
      throw new IllegalArgumentException("batch, window and epochs must be positive, partitions "
          + "and averageEvery not negative: " + batchSize + ", " + window + ", " + epochs + ", "
          + partitions + ", " + averageEvery);
    }
  }

  public SparkTrainingConfig withPartitions(int n) {
    return new SparkTrainingConfig(spec, optimizer, batchSize, window, epochs, n, averageEvery,
        averageOptimizerState, seed);
  }
}
