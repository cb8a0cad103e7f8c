package io.sparklstm.ml.param;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Params;

/** How a fitted model scores rows. */
public interface ScoringParams extends Params {
  Setting.Ints SCORING_BATCH_SIZE = Setting.integer("scoringBatchSize", null, 32, 1, 1_000_000,
      "rows a task scores together. 1 scores every row alone: its numbers are then exactly "
          + "those of the single-row methods, whatever rows share its partition; larger batches "
          + "run several times faster and agree to about 1e-7 (OpenBLAS rounds a row's products "
          + "differently by its position in a batch)");

  default IntParam scoringBatchSize() {
    return SCORING_BATCH_SIZE.param(this);
  }

  default int getScoringBatchSize() {
    return SCORING_BATCH_SIZE.get(this);
  }
}
