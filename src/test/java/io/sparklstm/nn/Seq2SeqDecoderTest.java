package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    }
    assertTrue(Integer.bitCount(lengths) >= 3, "outputs of several lengths: " + lengths);
    assertTrue(better > 0, "beam search finds a likelier output somewhere");
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
