package io.sparklstm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.nn.Batch;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.Precision;
import io.sparklstm.nn.RecurrentState;
import io.sparklstm.nn.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Sampling at the edges of its options: temperatures near 0, top-k, bad values. */
class SamplerTest {
  private static final int VOCAB = 40;

  /**
   * An untrained network with logits of a few tenths of a nat: no token above probability 0.5,
   * so that p^(1/T) underflows for every token at T = 0.001, yet the top two apart by far more
   * than T.
   */
  private static LstmNetwork network() {
    LstmNetwork net = new LstmNetwork(ModelSpec.languageModel(VOCAB, 16, 1), Precision.FLOAT, 1,
        1);
    net.initialize(5);
    Rng rng = new Rng(9);
    for (int i = 0; i < net.params().size(); i++) {
      net.params().set(i, 0.6 * rng.nextGaussian());
    }
    return net;
  }

  /** Greedy decoding: always the most probable next token. */
  private static int[] greedy(LstmNetwork net, int[] prime, int length) {
    RecurrentState state = RecurrentState.zeros(net, 1);
    int[] in = new int[1];
    Batch step = new Batch(1, 1, in, null, new int[1], null);
    int[] out = new int[length];
    int next = prime[prime.length - 1];
    for (int i = 0; i < prime.length - 1 + length; i++) {
      in[0] = i < prime.length - 1 ? prime[i] : next;
      net.forward(step, state, new LossTotals());
      if (i >= prime.length - 1) {
        int best = 0;
        double top = 0;
        for (int k = 0; k < VOCAB; k++) {
          top = Math.max(top, net.probability(0, k));
          best = net.probability(0, k) > net.probability(0, best) ? k : best;
        }
        assertTrue(top < 0.5, "the test needs a flat distribution, got " + top);
        next = best;
        out[i - prime.length + 1] = next;
      }
    }
    return out;
  }

  @Test
  void aTemperatureNearZeroDecodesGreedily() {
    LstmNetwork net = network();
    int[] prime = {3, 7, 1};
    int[] expected = greedy(net, prime, 60);
    assertTrue(Arrays.stream(expected).distinct().count() > 2, Arrays.toString(expected));
    for (long seed = 1; seed <= 3; seed++) {
      assertArrayEquals(expected, Sampler.sample(net, prime, 60, 0.001, 0, seed),
          "T = 0.001, seed " + seed);
      assertArrayEquals(expected, Sampler.sample(net, prime, 60, 1e-6, 5, seed));
    }
  }

  @Test
  void theSameSeedGivesTheSameTextAndTopOneIsGreedy() {
    LstmNetwork net = network();
    int[] prime = {2};
    assertArrayEquals(Sampler.sample(net, prime, 50, 0.9, 10, 4),
        Sampler.sample(net, prime, 50, 0.9, 10, 4));
    assertArrayEquals(greedy(net, prime, 50), Sampler.sample(net, prime, 50, 5.0, 1, 4));
    int[] hot = Sampler.sample(net, prime, 400, 1000.0, 0, 4);
    assertTrue(Arrays.stream(hot).distinct().count() > VOCAB / 2, "a high temperature spreads");
  }

  @Test
  void badOptionsAreRefusedByName() {
    LstmNetwork net = network();
    int[] prime = {1};
    for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Sampler.sample(net, prime, 5, t, 0, 1));
      assertTrue(e.getMessage().contains("temperature"), e.getMessage());
    }
    IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
        () -> Sampler.sample(net, prime, 5, 1.0, -3, 1));
    assertEquals("top-k must be 0 (every token) or a positive count, got -3", k.getMessage());
  }
}
