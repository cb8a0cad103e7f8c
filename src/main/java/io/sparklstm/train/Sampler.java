package io.sparklstm.train;

import io.sparklstm.nn.Batch;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.RecurrentState;
import io.sparklstm.nn.Rng;

/**
 * Text generation from a language model: the prime is read through the network, then each next
 * token is drawn from the softmax at a temperature, optionally among the top k only. The same
 * seed gives the same text.
 */
public final class Sampler {
  private Sampler() {}

  /** {@code length} token ids following {@code prime} (which must not be empty). */
  public static int[] sample(LstmNetwork net, int[] prime, int length, double temperature,
      int topK, long seed) {
    if (prime.length == 0) {
      throw new IllegalArgumentException("the prime must hold at least one token");
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be positive: " + temperature);
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
    double[] p = new double[v];
    for (int i = 0; i < length; i++) {
      in[0] = next;
      net.forward(step, state, new LossTotals());
      for (int k = 0; k < v; k++) {
        p[k] = Math.pow(net.probability(0, k), 1.0 / temperature);
      }
      if (topK > 0 && topK < v) {
        double[] sorted = p.clone();
        java.util.Arrays.sort(sorted);
        double cut = sorted[v - topK];
        for (int k = 0; k < v; k++) {
          p[k] = p[k] >= cut ? p[k] : 0;
        }
      }
      double total = 0;
      for (double x : p) {
        total += x;
      }
      double u = rng.nextDouble() * total;
      next = v - 1;
      for (int k = 0; k < v; k++) {
        u -= p[k];
        if (u < 0) {
          next = k;
          break;
        }
      }
      out[i] = next;
    }
    return out;
  }
}
