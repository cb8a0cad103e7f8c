package io.sparklstm.data;

import io.sparklstm.nn.Batch;
import java.util.Arrays;

/**
 * Packs labelled sequences of different lengths into one time-major {@link Batch}: each is cut
 * to at most {@code maxSteps} (its first steps are kept), the batch is as long as its longest
 * member, and shorter members are padded with masked steps. The targets are one label per
 * sequence, or (tagged sequences, for an every-step head) one tag per step, 0 at padded steps,
 * which the mask leaves out of loss and gradient. Arrays are reused between batches.
 */
public final class PaddedBatcher {
  private final int maxBatch;
  private final int maxSteps;
  private final int width;
  private final int[] tokens;
  private final float[] features;
  private final int[] labels;
  private final boolean tagged;
  private final boolean[] mask;

  /** @param width features per step for dense input, 0 for token input */
  public PaddedBatcher(int maxBatch, int maxSteps, int width) {
    this(maxBatch, maxSteps, width, false);
  }

  /** @param tagged targets are the sequences' tags, a row per step, not a label per sequence */
  public PaddedBatcher(int maxBatch, int maxSteps, int width, boolean tagged) {
    this.maxBatch = maxBatch;
    this.maxSteps = maxSteps;
    this.width = width;
    this.tagged = tagged;
    int rows = maxBatch * maxSteps;
    this.tokens = width == 0 ? new int[rows] : null;
    this.features = width == 0 ? null : new float[rows * width];
    this.labels = new int[tagged ? rows : maxBatch];
    this.mask = new boolean[rows];
  }

  /** The batch of {@code sequences[order[from..to)]}. */
  public Batch pack(Sequences sequences, int[] order, int from, int to) {
    int bsz = to - from;
    if (bsz < 1 || bsz > maxBatch) {
      throw new IllegalArgumentException("batch of " + bsz + " outside 1.." + maxBatch);
    }
    int steps = 1;
    for (int i = from; i < to; i++) {
      steps = Math.max(steps, Math.min(maxSteps, sequences.steps(order[i])));
    }
    int rows = bsz * steps;
    Arrays.fill(mask, 0, rows, false);
    if (tagged) {
      Arrays.fill(labels, 0, rows, 0);
    }
    if (tokens != null) {
      Arrays.fill(tokens, 0, rows, 0);
    } else {
      Arrays.fill(features, 0, rows * width, 0f);
    }
    for (int b = 0; b < bsz; b++) {
      int e = order[from + b];
      int len = Math.min(steps, sequences.steps(e));
      for (int t = 0; t < len; t++) {
        int r = t * bsz + b;
        mask[r] = true;
        if (tokens != null) {
          tokens[r] = sequences.token(e, t);
        } else {
          sequences.copyFeatures(e, t, features, r * width, width);
        }
        if (tagged) {
          labels[r] = sequences.tag(e, t);
        }
      }
      if (!tagged) {
        labels[b] = sequences.label(e);
      }
    }
    return new Batch(bsz, steps, tokens, features, labels, mask);
  }
}
