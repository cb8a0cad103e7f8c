package io.sparklstm.train;

import io.sparklstm.nn.LossTotals;

/**
 * Classification metrics: loss totals and a confusion matrix ({@code [actual][predicted]}),
 * from which per-class precision, recall and F1 follow. Mergeable across batches and workers.
 */
public final class Evaluation implements java.io.Serializable {
  private final LossTotals loss = new LossTotals();
  private final long[][] confusion;

  public Evaluation(int classes) {
    this.confusion = new long[classes][classes];
  }

  public void record(int actual, int predicted) {
    confusion[actual][predicted]++;
  }

  public void merge(Evaluation other) {
    loss.add(other.loss);
    for (int a = 0; a < confusion.length; a++) {
      for (int p = 0; p < confusion.length; p++) {
        confusion[a][p] += other.confusion[a][p];
      }
    }
  }

  public LossTotals loss() {
    return loss;
  }

  public long[][] confusion() {
    return confusion;
  }

  public int classes() {
    return confusion.length;
  }

  public double precision(int k) {
    long predicted = 0;
    for (long[] row : confusion) {
      predicted += row[k];
    }
    return predicted == 0 ? 0 : (double) confusion[k][k] / predicted;
  }

  public double recall(int k) {
    long actual = 0;
    for (long v : confusion[k]) {
      actual += v;
    }
    return actual == 0 ? 0 : (double) confusion[k][k] / actual;
  }

  public double f1(int k) {
    double p = precision(k);
    double r = recall(k);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }
}
