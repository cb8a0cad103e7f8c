package io.sparklstm.data;

import io.sparklstm.nn.Seq2SeqBatch;
import io.sparklstm.nn.Seq2SeqSpec;
import java.util.Arrays;
import java.util.List;

/**
 * Packs pairs into one time-major {@link Seq2SeqBatch}: the source side as long as its longest
 * source, the decoder side one step longer than its longest target ({@code EOS y_1..y_n} in,
 * {@code y_1..y_n EOS} out), shorter members padded with masked steps. Pairs longer than the
 * limits are refused (nothing is cut silently). Arrays are reused between batches.
 */
public final class PairBatcher {
  private final int maxBatch;
  private final int maxSource;
  private final int maxTarget;
  private final int[] source;
  private final boolean[] sourceMask;
  private final int[] input;
  private final int[] targets;
  private final boolean[] targetMask;

  /** @param maxTarget the longest decoder window: the longest target plus 1 (the EOS) */
  public PairBatcher(int maxBatch, int maxSource, int maxTarget) {
    this.maxBatch = maxBatch;
    this.maxSource = maxSource;
    this.maxTarget = maxTarget;
    this.source = new int[maxBatch * maxSource];
    this.sourceMask = new boolean[source.length];
    this.input = new int[maxBatch * maxTarget];
    this.targets = new int[input.length];
    this.targetMask = new boolean[input.length];
  }

  /** The batch of {@code pairs[order[from..to)]}. */
  public Seq2SeqBatch pack(List<Pair> pairs, int[] order, int from, int to) {
    int bsz = to - from;
    if (bsz < 1 || bsz > maxBatch) {
      throw new IllegalArgumentException("batch of " + bsz + " outside 1.." + maxBatch);
    }
    int ts = 1;
    int td = 1;
    for (int i = from; i < to; i++) {
      Pair p = pairs.get(order[i]);
      if (p.source().length < 1 || p.source().length > maxSource
          || p.target().length + 1 > maxTarget) {
        throw new IllegalArgumentException("pair " + order[i] + " has " + p.source().length
            + " source and " + p.target().length + " target tokens; this batcher takes 1.."
            + maxSource + " and 0.." + (maxTarget - 1));
      }
      ts = Math.max(ts, p.source().length);
      td = Math.max(td, p.target().length + 1);
    }
    Arrays.fill(source, 0, ts * bsz, 0);
    Arrays.fill(sourceMask, 0, ts * bsz, false);
    Arrays.fill(input, 0, td * bsz, Seq2SeqSpec.EOS);
    Arrays.fill(targets, 0, td * bsz, Seq2SeqSpec.EOS);
    Arrays.fill(targetMask, 0, td * bsz, false);
    for (int b = 0; b < bsz; b++) {
      Pair p = pairs.get(order[from + b]);
      for (int t = 0; t < p.source().length; t++) {
        source[t * bsz + b] = p.source()[t];
        sourceMask[t * bsz + b] = true;
      }
      int[] y = p.target();
      for (int t = 0; t <= y.length; t++) {
        int r = t * bsz + b;
        input[r] = t == 0 ? Seq2SeqSpec.EOS : y[t - 1];
        targets[r] = t == y.length ? Seq2SeqSpec.EOS : y[t];
        targetMask[r] = true;
      }
    }
    return new Seq2SeqBatch(bsz, ts, source, sourceMask, td, input, targets, targetMask);
  }
}
