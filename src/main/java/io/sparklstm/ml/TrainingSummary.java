package io.sparklstm.ml;

import io.sparklstm.train.RoundRecord;
import java.util.List;

/**
 * How a fit went: every averaging round (loss, accuracy, throughput, where the time went) and,
 * for a language model with held-out text, the held-out bits per token after each epoch.
 * Available on a freshly fitted model, not on a loaded one.
 */
public record TrainingSummary(List<RoundRecord> rounds, double[] heldOutBitsPerToken) {
  public TrainingSummary {
    rounds = List.copyOf(rounds);
    heldOutBitsPerToken = heldOutBitsPerToken.clone();
  }

  @Override
  public double[] heldOutBitsPerToken() {
    return heldOutBitsPerToken.clone();
  }
}
