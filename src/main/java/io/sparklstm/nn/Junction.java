package io.sparklstm.nn;

import io.sparklstm.nn.ModelSpec.Pooling;

/**
 * A layer's outputs as their reader sees them: the next layer or an every-step head reads a row
 * per step, a once-per-sequence head a row per sequence (the last state, or the mean or the
 * maximum over the sequence's real steps). A bidirectional layer's row holds the forward
 * direction's state, then the backward one's (W = 2H). In training a dropout mask multiplies
 * the rows.
 *
 * <p>Where nothing changes (one direction, no mask, a row per step or the last state) the reader
 * reads the layer's h in place and writes its gradient straight back into the layer, so a
 * network without these features computes exactly what it always did.
 */
final class Junction {
  private final LstmLayer[] directions;
  private final int hidden;
  private final int width;
  /** null: a row per step; else how a sequence becomes one row. */
  private final Pooling pooling;
  private final double drop;
  /** [rows x W]: the gathered rows, dL/d(rows), the dropout mask; null when never needed. */
  private final Vec rows;
  private final Vec grad;
  private final Vec mask;
  /** MAX: the row of h each pooled element came from (-1: a sequence without real steps). */
  private final int[] argmax;
  /** MEAN: real steps per sequence. */
  private final int[] counts;

  // The current pass.
  private boolean inPlace;
  private boolean masked;
  private int count;
  private int xOffset;

  /**
   * @param backward the backward direction of a bidirectional layer, else null
   * @param pooling null for a row per step, else the pooling of a once-per-sequence head
   * @param drop dropout probability on the rows in training
   */
  Junction(LstmLayer forward, LstmLayer backward, int hidden, Pooling pooling, double drop,
      Precision precision, int maxBatch, int maxSteps) {
    this.directions = backward == null ? new LstmLayer[] {forward}
        : new LstmLayer[] {forward, backward};
    this.hidden = hidden;
    this.width = directions.length * hidden;
    this.pooling = pooling;
    this.drop = drop;
    double n = elements(width, backward != null, pooling, drop, maxBatch, maxSteps);
    int maxRows = pooling == null ? maxBatch * maxSteps : maxBatch;
    this.rows = n > 0 ? Vec.allocate(precision, maxRows * width) : null;
    this.grad = n > 0 ? Vec.allocate(precision, maxRows * width) : null;
    this.mask = drop > 0 ? Vec.allocate(precision, maxRows * width) : null;
    this.argmax = pooling == Pooling.MAX ? new int[maxRows * width] : null;
    this.counts = new int[maxBatch];
  }

  /** Native elements a junction of this kind allocates, for {@link LstmNetwork#bytesNeeded}. */
  static double elements(int width, boolean bidirectional, Pooling pooling, double drop,
      double maxBatch, double maxSteps) {
    boolean copies = bidirectional || drop > 0 || pooling == Pooling.MEAN
        || pooling == Pooling.MAX;
    double maxRows = pooling == null ? maxBatch * maxSteps : maxBatch;
    return copies ? maxRows * width * (drop > 0 ? 3 : 2) : 0;
  }

  /** Gathers the rows after the layer's forward pass; {@code masks} is null outside training. */
  void forward(Batch batch, int steps, Rng masks) {
    int bsz = batch.batch();
    masked = masks != null && drop > 0;
    inPlace = directions.length == 1 && !masked && (pooling == null || pooling == Pooling.LAST);
    count = pooling == null ? steps * bsz : bsz;
    LstmLayer first = directions[0];
    xOffset = !inPlace ? 0
        : pooling == null ? first.outputOffset(bsz) : first.finalOffset(bsz, steps);
    if (inPlace) {
      return;
    }
    if (pooling == Pooling.MEAN || pooling == Pooling.MAX) {
      countRealSteps(batch, steps); // what only the pooled reads need
    }
    for (int d = 0; d < directions.length; d++) {
      LstmLayer layer = directions[d];
      int col = d * hidden;
      if (pooling == null || pooling == Pooling.LAST) {
        int from = pooling == null ? layer.outputOffset(bsz) : layer.finalOffset(bsz, steps);
        for (int r = 0; r < count; r++) {
          layer.h.copyTo(from + r * hidden, rows, r * width + col, hidden);
        }
      } else {
        pool(layer, col, batch, steps);
      }
    }
    if (masked) {
      Dropout.draw(mask, 0, count * width, drop, masks);
      Dropout.apply(rows, 0, mask, 0, count * width);
    }
  }

  private void countRealSteps(Batch batch, int steps) {
    int bsz = batch.batch();
    java.util.Arrays.fill(counts, 0, bsz, 0);
    for (int r = 0; r < steps * bsz; r++) {
      counts[r % bsz] += batch.isReal(r) ? 1 : 0;
    }
  }

  /** MEAN or MAX over the real steps of each sequence, into columns {@code col..col+H}. */
  private void pool(LstmLayer layer, int col, Batch batch, int steps) {
    int bsz = batch.batch();
    boolean max = pooling == Pooling.MAX;
    for (int b = 0; b < bsz; b++) {
      rows.fill(b * width + col, hidden, max ? Double.NEGATIVE_INFINITY : 0);
      if (max) {
        java.util.Arrays.fill(argmax, b * width + col, b * width + col + hidden, -1);
      }
    }
    int out = layer.outputOffset(bsz);
    for (int r = 0; r < steps * bsz; r++) {
      if (!batch.isReal(r)) {
        continue;
      }
      int at = (r % bsz) * width + col;
      for (int j = 0; j < hidden; j++) {
        double v = layer.h.get(out + r * hidden + j);
        if (!max) {
          rows.add(at + j, v);
        } else if (v > rows.get(at + j)) {
          rows.set(at + j, v);
          argmax[at + j] = r;
        }
      }
    }
    for (int b = 0; b < bsz; b++) {
      for (int j = b * width + col, end = j + hidden; j < end; j++) {
        if (counts[b] == 0) {
          rows.set(j, 0); // a sequence without real steps reads zeros
        } else if (!max) {
          rows.set(j, rows.get(j) / counts[b]);
        }
      }
    }
  }

  /**
   * Hands the reader's gradient, written at {@link #dx}, to the layer directions: into
   * {@code dhAbove} (per step) or, for the last state, {@code dh}. Returns whether it went into
   * {@code dhAbove}.
   */
  boolean backward(Batch batch, int steps) {
    boolean above = pooling != Pooling.LAST;
    if (inPlace) {
      return above;
    }
    int bsz = batch.batch();
    if (masked) {
      Dropout.apply(grad, 0, mask, 0, count * width);
    }
    for (int d = 0; d < directions.length; d++) {
      LstmLayer layer = directions[d];
      int col = d * hidden;
      if (pooling == null || pooling == Pooling.LAST) {
        Vec to = pooling == null ? layer.dhAbove : layer.dh;
        for (int r = 0; r < count; r++) {
          grad.copyTo(r * width + col, to, r * hidden, hidden);
        }
        continue;
      }
      layer.dhAbove.fill(0, steps * bsz * hidden, 0);
      for (int r = 0; r < steps * bsz; r++) {
        int at = (r % bsz) * width + col;
        if (pooling == Pooling.MEAN) {
          if (batch.isReal(r)) {
            int n = counts[r % bsz];
            for (int j = 0; j < hidden; j++) {
              layer.dhAbove.set(r * hidden + j, grad.get(at + j) / n);
            }
          }
          continue;
        }
        for (int j = 0; j < hidden; j++) {
          if (argmax[at + j] == r) {
            layer.dhAbove.set(r * hidden + j, grad.get(at + j));
          }
        }
      }
    }
    return above;
  }

  /** The rows to read: [rows x W] from {@link #xOffset}. */
  Vec x() {
    return inPlace ? directions[0].h : rows;
  }

  int xOffset() {
    return xOffset;
  }

  /** Where the reader writes dL/d(rows), from offset 0 (before {@link #backward}). */
  Vec dx() {
    return !inPlace ? grad : pooling == null ? directions[0].dhAbove : directions[0].dh;
  }
}
