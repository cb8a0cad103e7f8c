package io.sparklstm.nn;

/**
 * Luong dot-product attention (global, without input feeding) of decoder states over an encoder
 * memory, for a block of decoder rows at once:
 *
 * <pre>
 *   a_j = softmax_j(q . m_j) over the sentence's real source steps j (padding gets weight 0)
 *   context = sum_j a_j m_j
 *   out = tanh([context; q] W + b)        W = attn.w [2H x H], b = attn.b [H]
 * </pre>
 *
 * Without input feeding the decoder's recurrence does not read the attention, so training runs
 * the whole decoder first and attends for all steps in one pass. The memory holds S sentences
 * time-major (row {@code j * S + s}); decoder row r belongs to sentence {@code r % S} in training
 * or {@code sentence[r]} in decoding.
 */
final class Attention {
  private final int hidden;
  private final ParamLayout.Tensor w;
  private final ParamLayout.Tensor bias;
  private final int maxSource;
  /** [rows x Ts]: the attention weights of each row. */
  private final Vec weights;
  /** [rows x 2H]: [context; q] per row. */
  private final Vec cat;
  /** [rows x H]: the output, what the head reads. */
  final Vec out;
  /** [rows x H]: dL/d(out), written by the head; then dL/d(pre-activation). */
  final Vec dOut;
  /** [rows x 2H]: dL/d[context; q]. */
  private final Vec dCat;
  /** [Ts]: dL/da of one row. */
  private final double[] dWeights;

  Attention(ParamLayout layout, int hidden, Precision precision, int maxRows, int maxSource) {
    this.hidden = hidden;
    this.w = layout.get("attn.w");
    this.bias = layout.get("attn.b");
    this.maxSource = maxSource;
    this.weights = Vec.allocate(precision, maxRows * maxSource);
    this.cat = Vec.allocate(precision, maxRows * 2 * hidden);
    this.out = Vec.allocate(precision, maxRows * hidden);
    this.dOut = Vec.allocate(precision, maxRows * hidden);
    this.dCat = Vec.allocate(precision, maxRows * 2 * hidden);
    this.dWeights = new double[maxSource];
  }

  /** The memory and which of its sentences each decoder row reads. */
  record Memory(Vec states, int sentences, int steps, boolean[] mask, int[] sentenceOfRow) {
    int sentence(int row) {
      return sentenceOfRow == null ? row % sentences : sentenceOfRow[row];
    }

    boolean isReal(int j, int s) {
      return mask == null || mask[j * sentences + s];
    }

    int row(int j, int s) {
      return j * sentences + s;
    }
  }

  /**
   * Attends for {@code rows} decoder states at {@code qOffset} of {@code q}; rows where
   * {@code rowMask} is false are skipped (zero context and query).
   */
  void forward(Vec p, Vec q, int qOffset, int rows, boolean[] rowMask, Memory m) {
    int hs = hidden;
    for (int r = 0; r < rows; r++) {
      int c = r * 2 * hs;
      if (rowMask != null && !rowMask[r]) {
        cat.fill(c, 2 * hs, 0);
        continue;
      }
      int s = m.sentence(r);
      int qr = qOffset + r * hs;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < m.steps(); j++) {
        double score = Double.NEGATIVE_INFINITY;
        if (m.isReal(j, s)) {
          score = dot(q, qr, m.states(), m.row(j, s) * hs);
          max = Math.max(max, score);
        }
        weights.set(r * maxSource + j, score);
      }
      double sum = 0;
      for (int j = 0; j < m.steps(); j++) {
        double e = m.isReal(j, s) ? Math.exp(weights.get(r * maxSource + j) - max) : 0;
        weights.set(r * maxSource + j, e);
        sum += e;
      }
      cat.fill(c, hs, 0);
      for (int j = 0; j < m.steps(); j++) {
        double a = weights.get(r * maxSource + j) / sum;
        weights.set(r * maxSource + j, a);
        if (a != 0) {
          int mr = m.row(j, s) * hs;
          for (int k = 0; k < hs; k++) {
            cat.add(c + k, a * m.states().get(mr + k));
          }
        }
      }
      q.copyTo(qr, cat, c + hs, hs);
    }
    for (int r = 0; r < rows; r++) {
      p.copyTo(bias.offset(), out, r * hs, hs);
    }
    Blas.gemm(false, false, rows, hs, 2 * hs, 1, cat, 0, 2 * hs, p, w.offset(), hs, 1, out, 0,
        hs);
    for (int i = 0, n = rows * hs; i < n; i++) {
      out.set(i, Activations.tanh(out.get(i)));
    }
  }

  /**
   * Backward from {@link #dOut}: adds the weight gradients into {@code grad}, writes dL/dq into
   * {@code dq} (rows x H from offset 0; zero on skipped rows) and adds dL/d(memory) into
   * {@code dMemory} (the memory's layout).
   */
  void backward(Vec p, Vec grad, Vec q, int qOffset, int rows, boolean[] rowMask, Memory m,
      Vec dq, Vec dMemory) {
    int hs = hidden;
    for (int i = 0, n = rows * hs; i < n; i++) {
      double o = out.get(i);
      dOut.set(i, dOut.get(i) * (1 - o * o));
    }
    for (int r = 0; r < rows; r++) {
      grad.addFrom(dOut, r * hs, bias.offset(), hs);
    }
    Blas.gemm(true, false, 2 * hs, hs, rows, 1, cat, 0, 2 * hs, dOut, 0, hs, 1, grad, w.offset(),
        hs);
    Blas.gemm(false, true, rows, 2 * hs, hs, 1, dOut, 0, hs, p, w.offset(), hs, 0, dCat, 0,
        2 * hs);
    for (int r = 0; r < rows; r++) {
      int c = r * 2 * hs;
      if (rowMask != null && !rowMask[r]) {
        dq.fill(r * hs, hs, 0);
        continue;
      }
      dCat.copyTo(c + hs, dq, r * hs, hs);
      int s = m.sentence(r);
      int qr = qOffset + r * hs;
      double mean = 0;
      for (int j = 0; j < m.steps(); j++) {
        double a = weights.get(r * maxSource + j);
        dWeights[j] = a == 0 ? 0 : dot(dCat, c, m.states(), m.row(j, s) * hs);
        mean += a * dWeights[j];
      }
      for (int j = 0; j < m.steps(); j++) {
        double a = weights.get(r * maxSource + j);
        if (a == 0) {
          continue;
        }
        double dScore = a * (dWeights[j] - mean);
        int mr = m.row(j, s) * hs;
        for (int k = 0; k < hs; k++) {
          dq.add(r * hs + k, dScore * m.states().get(mr + k));
          dMemory.add(mr + k, a * dCat.get(c + k) + dScore * q.get(qr + k));
        }
      }
    }
  }

  /** The attention weight of decoder row {@code r} on source step {@code j} (after forward). */
  double weight(int r, int j) {
    return weights.get(r * maxSource + j);
  }

  private double dot(Vec a, int ao, Vec b, int bo) {
    double s = 0;
    for (int k = 0; k < hidden; k++) {
      s += a.get(ao + k) * b.get(bo + k);
    }
    return s;
  }
}
