package io.sparklstm.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy and beam-search decoding with a {@link Seq2SeqNetwork}: sentences are decoded in chunks
 * that fill the network's batch (a sentence takes one row greedy, {@code width} rows in a beam),
 * each until it writes {@link Seq2SeqSpec#EOS} or reaches the maximum length.
 *
 * <p>Beam search keeps the {@code width} best unfinished hypotheses per sentence by total log
 * probability; a hypothesis that writes EOS is finished with the score
 * {@code logp / length^alpha} (length counting the EOS; {@code alpha = 0}: no length
 * normalisation), and a sentence is done when its likeliest hypothesis writes EOS, or at the
 * maximum length (its unfinished ones then count as finished). The best finished one wins.
 * Decision: not done after {@code width} finished ones, the rule this decoder had first: short
 * hypotheses that end early then stopped the search before the likeliest one ended, and on
 * CMUdict beam 5 returned, for 188 of the 401 words where it differed from greedy, a
 * pronunciation that scored below greedy's. Ties go to the lower hypothesis and token index, as
 * in the greedy argmax, so width 1 decodes exactly as greedy.
 */
public final class Seq2SeqDecoder {
  private final Seq2SeqNetwork net;
  private final int vocab;

  public Seq2SeqDecoder(Seq2SeqNetwork net) {
    this.net = net;
    this.vocab = net.spec().targetVocab();
  }

  /** The longest source the network takes. */
  public int maxSource() {
    return net.maxSource();
  }

  /** The target ids (without EOS) of each source, by the most probable token at each step. */
  public int[][] greedy(int[][] sources, int maxLength) {
    int[][] out = new int[sources.length][];
    int chunk = net.maxBatch();
    double[][] logits = new double[chunk][vocab];
    for (int from = 0; from < sources.length; from += chunk) {
      int n = Math.min(chunk, sources.length - from);
      net.encode(Arrays.copyOfRange(sources, from, from + n));
      int[] rows = new int[n];
      for (int i = 0; i < n; i++) {
        rows[i] = i;
      }
      net.startDecoding(rows);
      int[] tokens = new int[n]; // EOS: the start input
      int[][] written = new int[n][maxLength];
      int[] lengths = new int[n];
      boolean[] done = new boolean[n];
      int open = n;
      for (int t = 0; t < maxLength && open > 0; t++) {
        net.step(tokens, logits);
        for (int i = 0; i < n; i++) {
          if (done[i]) {
            continue;
          }
          int best = argmax(logits[i]);
          if (best == Seq2SeqSpec.EOS) {
            done[i] = true;
            open--;
          } else {
            written[i][lengths[i]++] = best;
          }
          tokens[i] = best;
        }
      }
      for (int i = 0; i < n; i++) {
        out[from + i] = Arrays.copyOf(written[i], lengths[i]);
      }
    }
    return out;
  }

  /**
   * The target ids (without EOS) of each source by beam search of {@code width} hypotheses with
   * length normalisation exponent {@code alpha}.
   */
  public int[][] beam(int[][] sources, int width, double alpha, int maxLength) {
    if (width < 1 || width > net.maxBatch()) {
      throw new IllegalArgumentException("beam width " + width + " outside 1.."
          + net.maxBatch());
    }
    int[][] out = new int[sources.length][];
    int chunk = net.maxBatch() / width;
    for (int from = 0; from < sources.length; from += chunk) {
      int n = Math.min(chunk, sources.length - from);
      net.encode(Arrays.copyOfRange(sources, from, from + n));
      new Beam(n, width, alpha, maxLength).run(out, from);
    }
    return out;
  }

  /** One chunk's search: rows {@code s*width .. s*width+width-1} belong to sentence s. */
  private final class Beam {
    private final int sentences;
    private final int width;
    private final double alpha;
    private final int maxLength;
    private final int rows;
    private double[] score;
    private int[][] history;
    private final List<List<Finished>> finished = new ArrayList<>();
    private final boolean[] done;

    Beam(int sentences, int width, double alpha, int maxLength) {
      this.sentences = sentences;
      this.width = width;
      this.alpha = alpha;
      this.maxLength = maxLength;
      this.rows = sentences * width;
      this.score = new double[rows];
      this.history = new int[rows][0];
      this.done = new boolean[sentences];
      for (int s = 0; s < sentences; s++) {
        finished.add(new ArrayList<>());
      }
    }

    void run(int[][] out, int offset) {
      int[] sentenceOfRow = new int[rows];
      for (int i = 0; i < rows; i++) {
        sentenceOfRow[i] = i / width;
        score[i] = i % width == 0 ? 0 : Double.NEGATIVE_INFINITY; // one live start per sentence
      }
      net.startDecoding(sentenceOfRow);
      int[] tokens = new int[rows];
      double[][] logits = new double[rows][vocab];
      int open = sentences;
      for (int t = 0; t < maxLength && open > 0; t++) {
        net.step(tokens, logits);
        int[] parent = new int[rows];
        double[] nextScore = new double[rows];
        int[][] nextHistory = new int[rows][];
        for (int s = 0; s < sentences; s++) {
          if (done[s]) {
            for (int i = s * width; i < (s + 1) * width; i++) {
              parent[i] = i;
              nextScore[i] = score[i];
              nextHistory[i] = history[i];
            }
            continue;
          }
          advance(s, logits, parent, nextScore, nextHistory, tokens);
          if (done[s]) {
            open--;
          }
        }
        score = nextScore;
        history = nextHistory;
        net.reorder(parent);
      }
      for (int s = 0; s < sentences; s++) {
        if (!done[s]) { // at the maximum length: the unfinished hypotheses compete as they are
          for (int i = s * width; i < (s + 1) * width; i++) {
            if (score[i] > Double.NEGATIVE_INFINITY) {
              finish(s, history[i], score[i], history[i].length);
            }
          }
        }
        Finished best = null;
        for (Finished f : finished.get(s)) {
          if (best == null || f.normalized > best.normalized) {
            best = f;
          }
        }
        out[offset + s] = best.tokens;
      }
    }

    /** Extends sentence s's hypotheses by one token: the best 2*width candidates in order. */
    private void advance(int s, double[][] logits, int[] parent, double[] nextScore,
        int[][] nextHistory, int[] tokens) {
      int keep = 2 * width;
      double[] candScore = new double[keep];
      int[] candRow = new int[keep];
      int[] candToken = new int[keep];
      int count = 0;
      for (int i = s * width; i < (s + 1) * width; i++) {
        if (score[i] == Double.NEGATIVE_INFINITY) {
          continue;
        }
        double lse = logSumExp(logits[i]);
        for (int k = 0; k < vocab; k++) {
          double c = score[i] + (logits[i][k] - lse);
          if (count == keep && !(c > candScore[keep - 1])) {
            continue; // not better than the worst kept (ties keep the earlier candidate)
          }
          int at = Math.min(count, keep - 1);
          while (at > 0 && c > candScore[at - 1]) {
            candScore[at] = candScore[at - 1];
            candRow[at] = candRow[at - 1];
            candToken[at] = candToken[at - 1];
            at--;
          }
          candScore[at] = c;
          candRow[at] = i;
          candToken[at] = k;
          count = Math.min(count + 1, keep);
        }
      }
      int live = 0;
      for (int c = 0; c < count && live < width && !done[s]; c++) {
        int[] prefix = history[candRow[c]];
        if (candToken[c] == Seq2SeqSpec.EOS) {
          finish(s, prefix, candScore[c], prefix.length + 1);
          done[s] = c == 0; // the likeliest hypothesis has ended
          continue;
        }
        int row = s * width + live++;
        parent[row] = candRow[c];
        nextScore[row] = candScore[c];
        nextHistory[row] = Arrays.copyOf(prefix, prefix.length + 1);
        nextHistory[row][prefix.length] = candToken[c];
        tokens[row] = candToken[c];
      }
      for (int row = s * width + live; row < (s + 1) * width; row++) {
        parent[row] = row;
        nextScore[row] = Double.NEGATIVE_INFINITY;
        nextHistory[row] = new int[0];
      }
    }

    private void finish(int s, int[] tokens, double logp, int length) {
      finished.get(s).add(new Finished(tokens, logp / Math.pow(Math.max(1, length), alpha)));
    }
  }

  private record Finished(int[] tokens, double normalized) {}

  private static int argmax(double[] v) {
    int best = 0;
    for (int k = 1; k < v.length; k++) {
      if (v[k] > v[best]) {
        best = k;
      }
    }
    return best;
  }

  private static double logSumExp(double[] v) {
    double max = v[argmax(v)];
    double sum = 0;
    for (double x : v) {
      sum += Math.exp(x - max);
    }
    return max + Math.log(sum);
  }
}
