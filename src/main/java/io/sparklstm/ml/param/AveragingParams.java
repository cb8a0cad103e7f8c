package io.sparklstm.ml.param;

import io.sparklstm.optim.BlockMomentum;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Params;

/** Data-parallel training: shards, how often they are averaged, and block momentum. */
public interface AveragingParams extends Params {
  Setting.Ints NUM_PARTITIONS = Setting.integer("numPartitions", "spark.partitions", 0, 0,
      1_000_000, "training shards; 0: Spark's default parallelism");
  Setting.Ints AVERAGE_EVERY = Setting.integer("averageEvery", "average.every", 0, 0, 1_000_000,
      "minibatches (windows) per averaging round; 0: average once per epoch");
  Setting.Flags AVERAGE_OPTIMIZER_STATE = Setting.flag("averageOptimizerState",
      "average.optimizer.state", true, "average the optimizer state (else reset it each round)");
  Setting.Momentum BLOCK_MOMENTUM = Setting.blockMomentum("blockMomentum",
      "average.block.momentum",
      "momentum on averaged round updates; auto: 1 - 1/partitions; sqrt: 1 - 1/sqrt(partitions);"
          + " 0: plain averaging");

  default IntParam numPartitions() {
    return NUM_PARTITIONS.param(this);
  }

  default IntParam averageEvery() {
    return AVERAGE_EVERY.param(this);
  }

  default BooleanParam averageOptimizerState() {
    return AVERAGE_OPTIMIZER_STATE.param(this);
  }

  default BlockMomentumParam blockMomentum() {
    return BLOCK_MOMENTUM.param(this);
  }

  default int getNumPartitions() {
    return NUM_PARTITIONS.get(this);
  }

  default int getAverageEvery() {
    return AVERAGE_EVERY.get(this);
  }

  default boolean getAverageOptimizerState() {
    return AVERAGE_OPTIMIZER_STATE.get(this);
  }

  default BlockMomentum getBlockMomentum() {
    return BLOCK_MOMENTUM.get(this);
  }
}
