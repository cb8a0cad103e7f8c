package io.sparklstm.ml.param;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The columns of a sequence to sequence stage: the sources (and, fitting, targets) it reads, and
 * the decoded targets it writes.
 */
public interface Seq2SeqColumnParams extends Params {
  Setting.Texts SOURCE_COL = Setting.text("sourceCol", null, "source", false,
      "source column: array<string> of tokens, or a string split as sourceTokens says");
  Setting.Texts TARGET_COL = Setting.text("targetCol", null, "target", false,
      "target column (fitting): array<string> of tokens, or a string split as targetTokens says");
  Setting.Texts PREDICTION_COL = Setting.text("predictionCol", null, "prediction", false,
      "output: array<string>, the decoded target tokens (without the end of sequence)");

  default Param<String> sourceCol() {
    return SOURCE_COL.param(this);
  }

  default Param<String> targetCol() {
    return TARGET_COL.param(this);
  }

  default Param<String> predictionCol() {
    return PREDICTION_COL.param(this);
  }

  default String getSourceCol() {
    return SOURCE_COL.get(this);
  }

  default String getTargetCol() {
    return TARGET_COL.get(this);
  }

  default String getPredictionCol() {
    return PREDICTION_COL.get(this);
  }
}
