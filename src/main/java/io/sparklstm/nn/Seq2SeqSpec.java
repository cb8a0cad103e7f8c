package io.sparklstm.nn;

/**
 * The shape of an encoder-decoder: an LSTM encoder over source tokens, an LSTM decoder over
 * target tokens started from the encoder's final state, and a softmax over the target
 * vocabulary.
 *
 * <p>Target id {@link #EOS} (0) ends every target sequence and is also the decoder's first input
 * (the start symbol), so the decoder reads {@code EOS y_1 .. y_n} and is trained to write
 * {@code y_1 .. y_n EOS}.
 *
 * @param sourceVocab source token ids are {@code 0..sourceVocab-1}
 * @param targetVocab target token ids, {@link #EOS} included
 * @param hiddenSize units per LSTM layer (H), the same in encoder and decoder
 * @param layers stacked layers in the encoder and, as many, in the decoder: decoder layer l starts
 *     from encoder layer l's final (h, c)
 * @param bidirectional the encoder also runs backward; its two directions' final states add up
 *     to the decoder's initial state, and their per-step states add up to the attention memory
 *     (so both stay H wide and dot-product attention needs no projection)
 * @param attention Luong dot-product attention over the encoder's top-layer states
 * @param dropout dropout in training, as {@link Dropout} says for a stack of layers, on the
 *     encoder's and on the decoder's: input on the one-hot source and target tokens (the whole
 *     token), recurrent in every layer, output between stacked layers, on the encoder's top
 *     states where the attention reads them and on the decoder's top states (what the attention
 *     and the head read). The encoder's final states reach the decoder undropped.
 */
public record Seq2SeqSpec(int sourceVocab, int targetVocab, int hiddenSize, int layers,
    boolean bidirectional, boolean attention, Dropout dropout) implements java.io.Serializable {
  /** The end-of-sequence id of the target vocabulary, also the decoder's start input. */
  public static final int EOS = 0;

  public Seq2SeqSpec {
    if (sourceVocab < 1 || targetVocab < 2 || hiddenSize < 1 || layers < 1) {
      throw new IllegalArgumentException("a seq2seq model needs source vocabulary >= 1 ("
          + sourceVocab + "), target vocabulary >= 2 (" + targetVocab + "), hidden >= 1 ("
          + hiddenSize + ") and layers >= 1 (" + layers + ")");
    }
    if (dropout == null) {
      throw new IllegalArgumentException("dropout is required (Dropout.NONE for none)");
    }
  }

  /** Without dropout. */
  public Seq2SeqSpec(int sourceVocab, int targetVocab, int hiddenSize, int layers,
      boolean bidirectional, boolean attention) {
    this(sourceVocab, targetVocab, hiddenSize, layers, bidirectional, attention, Dropout.NONE);
  }

  /** Encoder directions: 2 when bidirectional. */
  public int directions() {
    return bidirectional ? 2 : 1;
  }

  /** The fields by name, as model files write a shape. */
  public java.util.Map<String, Object> fields() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("sourceVocab", sourceVocab);
    m.put("targetVocab", targetVocab);
    m.put("hiddenSize", hiddenSize);
    m.put("layers", layers);
    m.put("bidirectional", bidirectional);
    m.put("attention", attention);
    m.put("dropoutInput", dropout.input());
    m.put("dropoutRecurrent", dropout.recurrent());
    m.put("dropoutOutput", dropout.output());
    return m;
  }

  /**
   * The spec {@link #fields} describes (shapes written before seq2seq had dropout read as none);
   * throws ClassCast/NullPointer/IllegalArgument if not.
   */
  public static Seq2SeqSpec fromFields(java.util.Map<String, Object> f) {
    return new Seq2SeqSpec((Integer) f.get("sourceVocab"), (Integer) f.get("targetVocab"),
        (Integer) f.get("hiddenSize"), (Integer) f.get("layers"),
        (Boolean) f.get("bidirectional"), (Boolean) f.get("attention"), Dropout.fromFields(f));
  }
}
