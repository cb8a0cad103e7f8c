package io.sparklstm.train;

import io.sparklstm.nn.LossTotals;

/**
 * What one epoch did: training loss totals, held-out totals (null when there is no validation
 * data), the wall time and how many examples (classification) or tokens (language model) it
 * trained on.
 */
public record EpochReport(int epoch, LossTotals train, LossTotals validation, double seconds,
    long items) {

  public double itemsPerSecond() {
    return items / seconds;
  }

  /** One line for a console or a log. */
  public String summary(String unit) {
    StringBuilder s = new StringBuilder(String.format(
        "epoch %d  train loss %.4f acc %.4f", epoch, train.meanLoss(), train.accuracy()));
    if (validation != null) {
      s.append(String.format("  val loss %.4f acc %.4f bits %.3f ppl %.2f",
          validation.meanLoss(), validation.accuracy(), validation.bitsPerToken(),
          validation.perplexity()));
    }
    s.append(String.format("  %.1f s  %.0f %s/s", seconds, itemsPerSecond(), unit));
    return s.toString();
  }
}
