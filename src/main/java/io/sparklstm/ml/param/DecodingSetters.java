package io.sparklstm.ml.param;

import org.apache.spark.ml.param.Param;

/**
 * The settings of a sequence to sequence stage that a fitted model takes too: which column it
 * decodes, where the output goes, and how it searches; setters return the stage ({@code S}).
 *
 * @param <S> the stage class
 */
public interface DecodingSetters<S extends DecodingSetters<S>>
    extends Seq2SeqParams, Seq2SeqColumnParams {

  default S setSourceCol(String value) {
    return with(sourceCol(), value);
  }

  default S setPredictionCol(String value) {
    return with(predictionCol(), value);
  }

  default S setBeam(int value) {
    return with(beam(), value);
  }

  default S setLengthAlpha(double value) {
    return with(lengthAlpha(), value);
  }

  default S setDecodeMaxLength(int value) {
    return with(decodeMaxLength(), value);
  }

  /** Sets {@code param} (validated by Spark) and returns this stage. */
  @SuppressWarnings("unchecked")
  private <T> S with(Param<T> param, T value) {
    set(param, value);
    return (S) this;
  }
}
