package io.sparklstm.train;

import io.sparklstm.nn.Batch;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.RecurrentState;
import io.sparklstm.nn.Rng;
import java.util.Arrays;

/**
 * Text generation from a language model: the prime is read through the network, then each next
 * token is drawn from the softmax at a temperature, optionally among the top k only. The same
 * seed gives the same text.
 *
 * <p>The draw works in log space: the logits divided by the temperature, less their maximum,
 * exponentiated. The most likely token always weighs 1, so no temperature underflows every
 * weight to zero; as the temperature goes to 0 the draw becomes the argmax (greedy decoding).
 */
public final class Sampler {
  private Sampler() {}

  /** {@code length} token ids following {@code prime} (which must not be empty). */
  public static int[] sample(LstmNetwork net, int[] prime, int length, double temperature,
      int topK, long seed) {
    if (prime.length == 0) {
      throw new IllegalArgumentException("the prime must hold at least one token");
    }
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("the temperature must be a positive number, got "
          + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("top-k must be 0 (every token) or a positive count, got "
          + topK);
    }
    int v = net.spec().outputSize();
    Rng rng = new Rng(seed);
    RecurrentState state = RecurrentState.zeros(net, 1);
    int[] in = new int[1];
    int[] target = new int[1];
    Batch step = new Batch(1, 1, in, null, target, null);
    for (int i = 0; i < prime.length - 1; i++) {
      in[0] = prime[i];
      net.forward(step, state, new LossTotals());
    }
    int[] out = new int[length];
    int next = prime[prime.length - 1];
    double[] w = new double[v];
    for (int i = 0; i < length; i++) {
      in[0] = next;
      net.forward(step, state, new LossTotals());
      weights(net, temperature, topK, w);
      next = draw(w, rng.nextDouble());
      out[i] = next;
    }
    return out;
  }

  /**
   * Unnormalised weights of the next token: exp((logit - max logit) / temperature), zero outside
   * the top k when {@code topK} is set (ties at the cut are kept).
   */
  static void weights(LstmNetwork net, double temperature, int topK, double[] w) {
    int v = w.length;
    net.logits(0, w);
    double max = Double.NEGATIVE_INFINITY;
    for (double x : w) {
      max = Math.max(max, x);
    }
    for (int k = 0; k < v; k++) {
      w[k] = Math.exp((w[k] - max) / temperature);
    }
    if (topK > 0 && topK < v) {
      double[] sorted = w.clone();
      Arrays.sort(sorted);
      double cut = sorted[v - topK];
      for (int k = 0; k < v; k++) {
        w[k] = w[k] >= cut ? w[k] : 0;
      }
    }
  }

  /** The index that {@code u} in [0, 1) falls on when the weights are laid end to end. */
  private static int draw(double[] w, double u) {
    double total = 0;
    for (double x : w) {
      total += x;
    }
    double left = u * total;
    int last = 0;
    for (int k = 0; k < w.length; k++) {
      if (w[k] > 0) {
        last = k;
        left -= w[k];
        if (left < 0) {
          return k;
        }
      }
    }
    return last; // rounding left a sliver past the end: the last token with weight
  }
}
