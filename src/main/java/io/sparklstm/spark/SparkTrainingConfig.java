package io.sparklstm.spark;

import io.sparklstm.nn.ModelSpec;
import io.sparklstm.optim.BlockMomentum;
import io.sparklstm.optim.OptimizerSpec;
import java.io.Serializable;
import org.apache.spark.api.java.JavaSparkContext;

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
 *     Chen and Huo 2016): 0 is plain averaging; {@link BlockMomentum.Auto} means 1 - 1/N, which
 *     lets N averaged workers progress per round like one worker taking all their steps
 */
public record SparkTrainingConfig(ModelSpec spec, OptimizerSpec optimizer, int batchSize,
    int window, int epochs, int partitions, int averageEvery, boolean averageOptimizerState,
    BlockMomentum blockMomentum, long seed) implements Serializable {

  public SparkTrainingConfig {
    if (batchSize < 1 || window < 1 || epochs < 1 || partitions < 0 || averageEvery < 0) {
      throw new IllegalArgumentException("batch, window and epochs must be positive, partitions "
          + "and averageEvery not negative: " + batchSize + ", " + window + ", " + epochs + ", "
          + partitions + ", " + averageEvery);
    }
    if (blockMomentum == null) {
      throw new IllegalArgumentException("no block momentum: BlockMomentum.auto() or of(x)");
    }
  }

  /**
   * The training shards for {@code asked} partitions: the count itself, or for 0 Spark's default
   * parallelism (which differs between local[*] and a cluster). The one place that decides it.
   */
  public static int partitions(JavaSparkContext sc, int asked) {
    return asked > 0 ? asked : Math.max(1, sc.defaultParallelism());
  }

  public SparkTrainingConfig withPartitions(int n) {
    return new SparkTrainingConfig(spec, optimizer, batchSize, window, epochs, n, averageEvery,
        averageOptimizerState, blockMomentum, seed);
  }

  /** The block momentum in force for {@code partitions} partitions. */
  public double effectiveBlockMomentum() {
    return blockMomentum.forPartitions(partitions);
  }
}
