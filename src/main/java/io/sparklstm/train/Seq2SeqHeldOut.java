package io.sparklstm.train;

import io.sparklstm.nn.LossTotals;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * An encoder-decoder's figures on held-out pairs: the teacher-forced loss and token accuracy,
 * and, from decoding every source, the sequence accuracy, the sequence (word) error rate and the
 * element (phoneme) error rate by edit distance. Its metric is the sequence error rate.
 */
public record Seq2SeqHeldOut(LossTotals loss, SequenceMetrics decoded) implements HeldOut {
  @Override
  public double meanLoss() {
    return loss.meanLoss();
  }

  @Override
  public double accuracy() {
    return loss.accuracy();
  }

  @Override
  public String metricName() {
    return "sequence error rate";
  }

  @Override
  public double metric() {
    return decoded.sequenceErrorRate();
  }

  @Override
  public String table(List<String> classes) {
    return String.format(Locale.ROOT, "%-28s %12s%n%-28s %12d%n%-28s %12d%n%-28s %12.4f%n"
            + "%-28s %12.4f%n%-28s %12.4f%n%-28s %12.4f%n%-28s %12.4f%n", "metric", "value",
        "sequences", decoded.sequences(), "target tokens", loss.count(), "loss (nats)",
        loss.meanLoss(), "token accuracy", loss.accuracy(), "sequence accuracy",
        decoded.sequenceAccuracy(), "sequence (word) error rate", decoded.sequenceErrorRate(),
        "element (phoneme) error rate", decoded.elementErrorRate());
  }

  @Override
  public Report report(List<String> classes) {
    return new Report(decoded.sequences(), loss.count(), Decimals.of(loss.meanLoss(), 6),
        Decimals.of(loss.accuracy(), 6), Decimals.of(decoded.sequenceAccuracy(), 6),
        Decimals.of(decoded.sequenceErrorRate(), 6), Decimals.of(decoded.elementErrorRate(), 6));
  }

  /** The JSON of an encoder-decoder's evaluation. */
  public record Report(long sequences, long tokens, BigDecimal loss, BigDecimal tokenAccuracy,
      BigDecimal sequenceAccuracy, BigDecimal sequenceErrorRate, BigDecimal elementErrorRate) {}
}
