package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Greedy and beam decoding on random weights (outputs of every length, EOS anywhere). */
class Seq2SeqDecoderTest {
  @ParameterizedTest(name = "attention {0}, bidirectional {1}")
  @CsvSource({"false, false", "true, true"})
  void beamOfWidthOneIsGreedyAndWiderBeamsFindLikelierOutputs(boolean attention,
      boolean bidirectional) {
    Seq2SeqSpec spec = new Seq2SeqSpec(7, 5, 8, 2, bidirectional, attention);
    Seq2SeqNetwork net = new Seq2SeqNetwork(spec, Precision.DOUBLE, 12, 9, 13);
    net.initialize(5);
    Rng rng = new Rng(8);
    int[][] sources = new int[40][];
    for (int i = 0; i < sources.length; i++) {
      sources[i] = new int[1 + rng.nextInt(9)];
      for (int t = 0; t < sources[i].length; t++) {
        sources[i][t] = rng.nextInt(7);
      }
    }
    Seq2SeqDecoder decoder = new Seq2SeqDecoder(net);
    int[][] greedy = decoder.greedy(sources, 12);
    int[][] beam1 = decoder.beam(sources, 1, 0.6, 12);
    int[][] beam4 = decoder.beam(sources, 4, 0, 12);
    int[][] normalized = decoder.beam(sources, 4, 0.6, 12);
    int lengths = 0;
    int better = 0;
    for (int i = 0; i < sources.length; i++) {
      assertArrayEquals(greedy[i], beam1[i], "source " + i);
      assertTrue(greedy[i].length <= 12);
      lengths |= 1 << Math.min(greedy[i].length, 12);
      double g = logProbability(net, sources[i], greedy[i], greedy[i].length < 12);
      double b = logProbability(net, sources[i], beam4[i], beam4[i].length < 12);
      assertTrue(b >= g - 1e-9, "beam finds " + b + " < greedy " + g + " for source " + i);
      better += b > g + 1e-9 ? 1 : 0;
      // With length normalisation too, the beam's output scores at least greedy's: the search
      // goes on until its likeliest hypothesis ends (it once stopped after 4 short ones had)
      double gn = g / Math.pow(steps(greedy[i]), 0.6);
      double bn = logProbability(net, sources[i], normalized[i], normalized[i].length < 12)
          / Math.pow(steps(normalized[i]), 0.6);
      assertTrue(bn >= gn - 1e-9, "beam (alpha 0.6) finds " + bn + " < greedy " + gn
          + " for source " + i);
    }
    assertTrue(Integer.bitCount(lengths) >= 3, "outputs of several lengths: " + lengths);
    assertTrue(better > 0, "beam search finds a likelier output somewhere");
  }

  /**
   * The search goes on while its likeliest hypothesis is unfinished. A network whose weights are
   * zero but the output bias writes every step from the same distribution: </s> 0.3, A 0.35,
   * B 0.2, C 0.15. Greedy writes A to the maximum length (average log p -1.05). Beam search of
   * width 2 with average log p (alpha 1) must find the same: with the rule this decoder had first
   * (done after width finished hypotheses) "</s>" and "A </s>" ended by step 2 and it returned
   * "A" (-1.125), below greedy's output; on CMUdict that rule returned a pronunciation scoring
   * below greedy's for 188 of the 401 words where the two differed.
   */
  @Test
  void theSearchGoesOnWhileItsLikeliestHypothesisIsUnfinished() {
    Seq2SeqSpec spec = new Seq2SeqSpec(2, 4, 2, 1, false, false);
    Seq2SeqNetwork net = new Seq2SeqNetwork(spec, Precision.DOUBLE, 4, 3, 1);
    net.params().fill(0);
    double[] p = {0.3, 0.35, 0.2, 0.15};
    int bias = net.layout().get("out.b").offset();
    for (int k = 0; k < p.length; k++) {
      net.params().set(bias + k, Math.log(p[k]));
    }
    Seq2SeqDecoder decoder = new Seq2SeqDecoder(net);
    int[][] source = {{1, 0, 1}};
    int[] as = new int[12];
    java.util.Arrays.fill(as, 1);
    assertArrayEquals(as, decoder.greedy(source, 12)[0]);
    assertArrayEquals(as, decoder.beam(source, 2, 1.0, 12)[0]);
  }

  /** Decoder steps that wrote {@code output}: its tokens and the EOS, unless cut at 12. */
  private static int steps(int[] output) {
    return Math.max(1, output.length + (output.length < 12 ? 1 : 0));
  }

  /**
   * log p(output [EOS] | source) by teacher forcing one pair: the beam's objective without
   * length normalisation.
   */
  static double logProbability(Seq2SeqNetwork net, int[] source, int[] output, boolean eos) {
    int steps = output.length + (eos ? 1 : 0);
    if (steps == 0) {
      return 0;
    }
    int[] in = new int[steps];
    int[] out = new int[steps];
    for (int t = 0; t < steps; t++) {
      in[t] = t == 0 ? Seq2SeqSpec.EOS : output[t - 1];
      out[t] = t < output.length ? output[t] : Seq2SeqSpec.EOS;
    }
    LossTotals totals = new LossTotals();
    net.forward(new Seq2SeqBatch(1, source.length, source, null, steps, in, out, null), totals);
    assertEquals(steps, totals.count());
    return -totals.lossSum();
  }
}
