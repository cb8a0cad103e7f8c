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
    record(actual, predicted, 1);
  }

  /** Records {@code count} examples of class {@code actual} predicted as {@code predicted}. */
  public void record(int actual, int predicted, long count) {
    confusion[actual][predicted] += count;
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
    long actual = support(k);
    return actual == 0 ? 0 : (double) confusion[k][k] / actual;
  }

  /** How many examples (tokens) of class {@code k} there are. */
  public long support(int k) {
    long actual = 0;
    for (long v : confusion[k]) {
      actual += v;
    }
    return actual;
  }

  /** The share of examples predicted right, from the confusion matrix. */
  public double accuracy() {
    long right = 0;
    long all = 0;
    for (int a = 0; a < confusion.length; a++) {
      right += confusion[a][a];
      for (long v : confusion[a]) {
        all += v;
      }
    }
    return all == 0 ? 0 : (double) right / all;
  }

  /**
   * The mean F1 over the classes that occur among the actual or the predicted classes (as
   * scikit-learn's {@code f1_score(average='macro')} averages).
   */
  public double macroF1() {
    double sum = 0;
    int n = 0;
    for (int k = 0; k < confusion.length; k++) {
      long seen = 0;
      for (int j = 0; j < confusion.length; j++) {
        seen += confusion[k][j] + confusion[j][k];
      }
      if (seen > 0) {
        sum += f1(k);
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  public double f1(int k) {
    double p = precision(k);
    double r = recall(k);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }
}
