package io.sparklstm.nn;

/**
 * Linear layer to V logits and softmax cross-entropy, over a block of rows of hidden states:
 * every step of the window (T*B rows) or the final state (B rows). The loss is the mean over
 * counted rows; padded rows count for nothing.
 */
final class SoftmaxHead {
  private final int hidden;
  private final int classes;
  private final ParamLayout.Tensor w;
  private final ParamLayout.Tensor bias;
  /** [rows x V]: logits, then probabilities, then dL/dlogits. */
  private final Vec logits;
  private int counted;

  SoftmaxHead(ParamLayout layout, int hidden, int classes, Precision precision, int maxRows) {
    this.hidden = hidden;
    this.classes = classes;
    this.w = layout.get("out.w");
    this.bias = layout.get("out.b");
    this.logits = Vec.allocate(precision, maxRows * classes);
  }

  /**
   * Computes probabilities for {@code rows} hidden states at {@code hOffset} of {@code hs} and
   * adds the loss of the counted rows to {@code totals}.
   *
   * @param mask for row r, whether it has a target; null when every row has one
   */
  void forward(Vec p, Vec hs, int hOffset, int rows, int[] targets, boolean[] mask,
      LossTotals totals) {
    int v = classes;
    for (int r = 0; r < rows; r++) {
      p.copyTo(bias.offset(), logits, r * v, v);
    }
    Blas.gemm(false, false, rows, v, hidden, 1, hs, hOffset, hidden, p, w.offset(), v, 1,
        logits, 0, v);
    double lossSum = 0;
    int correct = 0;
    counted = 0;
    for (int r = 0; r < rows; r++) {
      if (mask != null && !mask[r]) {
        continue;
      }
      int o = r * v;
      int target = targets[r];
      if (target < 0 || target >= v) {
        throw new IllegalArgumentException(
            "target " + target + " at row " + r + " is outside [0, " + v + ")");
      }
      int best = 0;
      double max = logits.get(o);
      for (int k = 1; k < v; k++) {
        double l = logits.get(o + k);
        if (l > max) {
          max = l;
          best = k;
        }
      }
      double targetLogit = logits.get(o + target);
      double sum = 0;
      for (int k = 0; k < v; k++) {
        double e = Math.exp(logits.get(o + k) - max);
        logits.set(o + k, e);
        sum += e;
      }
      for (int k = 0; k < v; k++) {
        logits.set(o + k, logits.get(o + k) / sum);
      }
      lossSum += Math.log(sum) - (targetLogit - max);
      correct += best == target ? 1 : 0;
      counted++;
    }
    totals.add(lossSum, counted, correct);
  }

  /**
   * Gradient of the mean loss of the last forward: adds dL/dW and dL/db into {@code grad} and
   * writes dL/dh (rows x H) into {@code dh} at {@code dhOffset}.
   */
  void backward(Vec p, Vec grad, Vec hs, int hOffset, int rows, int[] targets,
      boolean[] mask, Vec dh, int dhOffset) {
    int v = classes;
    double scale = counted == 0 ? 0 : 1.0 / counted;
    for (int r = 0; r < rows; r++) {
      int o = r * v;
      if (mask != null && !mask[r]) {
        logits.fill(o, v, 0);
        continue;
      }
      logits.add(o + targets[r], -1);
      for (int k = 0; k < v; k++) {
        logits.set(o + k, logits.get(o + k) * scale);
      }
      grad.addFrom(logits, o, bias.offset(), v);
    }
    Blas.gemm(true, false, hidden, v, rows, 1, hs, hOffset, hidden, logits, 0, v, 1,
        grad, w.offset(), v);
    Blas.gemm(false, true, rows, hidden, v, 1, logits, 0, v, p, w.offset(), v, 0,
        dh, dhOffset, hidden);
  }

  /** The logits of row {@code r} of the hidden states at {@code hOffset} of {@code hs}. */
  void logits(Vec p, Vec hs, int hOffset, int r, double[] out) {
    int v = classes;
    for (int k = 0; k < v; k++) {
      out[k] = p.get(bias.offset() + k);
    }
    for (int j = 0; j < hidden; j++) {
      double x = hs.get(hOffset + r * hidden + j);
      int row = w.offset() + j * v;
      for (int k = 0; k < v; k++) {
        out[k] += x * p.get(row + k);
      }
    }
  }

  /** Probability of class k at row r after {@link #forward} (before backward). */
  double probability(int r, int k) {
    return logits.get(r * classes + k);
  }
}
