package io.sparklstm.spark;

/**
 * Training blew up: a round ended with a non-finite loss or non-finite parameters, or with a
 * loss far above where training starts ({@link SparkTrainer#divergenceFactor}). The model of
 * that round is discarded; the last checkpoint written before it is the last good state.
 */
public final class DivergedException extends RuntimeException {
  public DivergedException(String message) {
    super(message);
  }
}
