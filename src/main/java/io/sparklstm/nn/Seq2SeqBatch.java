package io.sparklstm.nn;

/**
 * B source-target pairs, both sides time-major and padded (row {@code t * batch + b}).
 *
 * @param source source ids [Ts*B]
 * @param sourceMask [Ts*B], false on padding (excluded from the final state and from attention);
 *     null: all real
 * @param input the decoder's inputs [Td*B]: {@link Seq2SeqSpec#EOS}, then the target tokens
 * @param targets what the decoder must write [Td*B]: the target tokens, then EOS
 * @param targetMask [Td*B], false on padding (no loss); null: all real
 */
public record Seq2SeqBatch(int batch, int sourceSteps, int[] source, boolean[] sourceMask,
    int targetSteps, int[] input, int[] targets, boolean[] targetMask) {

  /** The encoder's window. */
  Batch sourceWindow() {
    return new Batch(batch, sourceSteps, source, null, null, sourceMask);
  }

  /** The decoder's window. */
  Batch targetWindow() {
    return new Batch(batch, targetSteps, input, null, targets, targetMask);
  }
}
