package io.sparklstm.nn;

/**
 * Running sums of softmax cross-entropy over counted targets: enough to report mean loss,
 * accuracy, bits per token and perplexity, and to be added across steps, tasks and workers.
 */
public final class LossTotals implements java.io.Serializable {
  private double lossSum;
  private long count;
  private long correct;

  public void add(double lossSum, long count, long correct) {
    this.lossSum += lossSum;
    this.count += count;
    this.correct += correct;
  }

  public void add(LossTotals other) {
    add(other.lossSum, other.count, other.correct);
  }

  public void clear() {
    lossSum = 0;
    count = 0;
    correct = 0;
  }

  /** Sum of -ln p(target) in nats. */
  public double lossSum() {
    return lossSum;
  }

  public long count() {
    return count;
  }

  public long correct() {
    return correct;
  }

  /** Mean cross-entropy in nats per target. */
  public double meanLoss() {
    return count == 0 ? Double.NaN : lossSum / count;
  }

  public double accuracy() {
    return count == 0 ? Double.NaN : (double) correct / count;
  }

  /** Mean cross-entropy in bits (bits per character for a character model). */
  public double bitsPerToken() {
    return meanLoss() / Math.log(2);
  }

  public double perplexity() {
    return Math.exp(meanLoss());
  }
}
