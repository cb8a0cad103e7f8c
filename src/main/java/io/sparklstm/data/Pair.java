package io.sparklstm.data;

/**
 * A source sequence and its target sequence, as ids of their own vocabularies; target ids start
 * at 1 ({@link io.sparklstm.nn.Seq2SeqSpec#EOS} is 0 and is not stored).
 */
public record Pair(int[] source, int[] target) implements java.io.Serializable {}
