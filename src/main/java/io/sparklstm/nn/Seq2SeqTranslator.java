package io.sparklstm.nn;

import java.util.List;

/**
 * Decodes sources of any length with a trained encoder-decoder, as {@code jobs/translate} and
 * {@code LstmSeq2SeqModel} do: a network for {@code sentences} sentences at a time (times the
 * beam), rebuilt only when a source comes longer than it was built for; greedy search for a beam
 * of 1, else beam search.
 */
public final class Seq2SeqTranslator {
  /** The source length a network is first built for. */
  private static final int FIRST_SOURCE = 32;

  private final Seq2SeqSpec spec;
  private final float[] params;
  private final int rows;
  private final int beam;
  private final double alpha;
  private final int maxLength;
  private Seq2SeqDecoder decoder;

  /** Decodes with a beam of {@code beam} (1: greedy), length normalisation {@code alpha}. */
  public Seq2SeqTranslator(Seq2SeqSpec spec, float[] params, int sentences, int beam,
      double alpha, int maxLength) {
    this.spec = spec;
    this.params = params;
    this.rows = sentences * beam;
    this.beam = beam;
    this.alpha = alpha;
    this.maxLength = maxLength;
  }

  /** The target ids (without EOS) of each source (source ids), in order. */
  public int[][] decode(List<int[]> sources) {
    int longest = sources.stream().mapToInt(s -> s.length).max().orElse(1);
    if (decoder == null || decoder.maxSource() < longest) {
      Seq2SeqNetwork net = new Seq2SeqNetwork(spec, Precision.FLOAT, rows,
          Math.max(longest, decoder == null ? FIRST_SOURCE : decoder.maxSource()), 1);
      net.params().setAll(params);
      decoder = new Seq2SeqDecoder(net);
    }
    int[][] in = sources.toArray(new int[0][]);
    return beam == 1 ? decoder.greedy(in, maxLength) : decoder.beam(in, beam, alpha, maxLength);
  }
}
