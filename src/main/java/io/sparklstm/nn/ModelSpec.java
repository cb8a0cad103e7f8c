package io.sparklstm.nn;

/**
 * The shape of a network: what goes in, how many stacked LSTM layers of which width, and what
 * comes out.
 *
 * @param input how each step is fed: token ids (one-hot meaning), a learned embedding, or dense
 *     features
 * @param inputSize vocabulary size for token and embedding input, feature count for dense input
 * @param embeddingSize width of the learned embedding (0 unless {@code input == EMBEDDING})
 * @param hiddenSize units per LSTM layer (H)
 * @param layers number of stacked LSTM layers
 * @param head where the softmax cross-entropy is taken
 * @param outputSize number of classes or the output vocabulary (V)
 * @param bidirectional each layer also runs backward in time (from each sequence's last real
 *     step); the next layer and the head read both directions' states side by side (2H)
 * @param pooling what a {@link HeadKind#LAST_STEP} head reads of the sequence ({@code LAST} for
 *     an every-step head)
 * @param dropout dropout in training (see {@link Dropout})
 */
public record ModelSpec(
    InputKind input, int inputSize, int embeddingSize, int hiddenSize, int layers,
    HeadKind head, int outputSize, boolean bidirectional, Pooling pooling, Dropout dropout)
    implements java.io.Serializable {

  /** How a step's input reaches the first LSTM layer. */
  public enum InputKind {
    /** Token ids; a token's input projection is a row of W_x (one-hot without the matrix). */
    TOKENS,
    /** Token ids looked up in a learned embedding table, then projected. */
    EMBEDDING,
    /** A dense float vector per step. */
    DENSE
  }

  /** Where the loss is taken. */
  public enum HeadKind {
    /** Softmax cross-entropy at every unmasked step (language modelling, tagging). */
    EVERY_STEP,
    /** Softmax cross-entropy once per sequence, on its pooled states (classification). */
    LAST_STEP
  }

  /** How a once-per-sequence head summarises the top layer's states over the real steps. */
  public enum Pooling {
    /** The state after the last real step (both directions' final states when bidirectional). */
    LAST,
    /** The mean over the real steps. */
    MEAN,
    /** The element-wise maximum over the real steps. */
    MAX;

    /** The pooling named {@code last}, {@code mean} or {@code max} (any case). */
    public static Pooling of(String name) {
      return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
  }

  public ModelSpec {
    require(input != null && head != null && pooling != null && dropout != null,
        "input, head, pooling and dropout are required");
    require(head == HeadKind.LAST_STEP || pooling == Pooling.LAST,
        "pooling " + pooling + " needs a once-per-sequence (LAST_STEP) head");
    require(inputSize > 0, "input size must be positive: " + inputSize);
    require(hiddenSize > 0, "hidden size must be positive: " + hiddenSize);
    require(layers > 0, "layer count must be positive: " + layers);
    require(outputSize > 0, "output size must be positive: " + outputSize);
    require((input == InputKind.EMBEDDING) == (embeddingSize > 0),
        "embedding size must be positive exactly when input is EMBEDDING: " + embeddingSize);
  }

  /** One direction, the last state, no dropout. */
  public ModelSpec(InputKind input, int inputSize, int embeddingSize, int hiddenSize, int layers,
      HeadKind head, int outputSize) {
    this(input, inputSize, embeddingSize, hiddenSize, layers, head, outputSize, false,
        Pooling.LAST, Dropout.NONE);
  }

  /** This shape with the given directions, pooling and dropout. */
  public ModelSpec with(boolean bidirectional, Pooling pooling, Dropout dropout) {
    return new ModelSpec(input, inputSize, embeddingSize, hiddenSize, layers, head, outputSize,
        bidirectional, pooling, dropout);
  }

  /** A character or word language model: token input, softmax at every step. */
  public static ModelSpec languageModel(int vocab, int hidden, int layers) {
    return new ModelSpec(InputKind.TOKENS, vocab, 0, hidden, layers, HeadKind.EVERY_STEP, vocab);
  }

  /** The fields by name, in declaration order (how model files and exports write a shape). */
  public java.util.Map<String, Object> fields() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("input", input.name());
    m.put("inputSize", inputSize);
    m.put("embeddingSize", embeddingSize);
    m.put("hiddenSize", hiddenSize);
    m.put("layers", layers);
    m.put("head", head.name());
    m.put("outputSize", outputSize);
    m.put("bidirectional", bidirectional);
    m.put("pooling", pooling.name());
    m.put("dropoutInput", dropout.input());
    m.put("dropoutRecurrent", dropout.recurrent());
    m.put("dropoutOutput", dropout.output());
    return m;
  }

  /**
   * The spec that {@link #fields} describes. Shapes written before bidirectional layers, pooling
   * and dropout existed lack those fields and read as one direction, the last state, no dropout.
   *
   * @throws ClassCastException, NullPointerException, IllegalArgumentException when malformed
   */
  public static ModelSpec fromFields(java.util.Map<String, Object> f) {
    return new ModelSpec(InputKind.valueOf((String) f.get("input")), (Integer) f.get("inputSize"),
        (Integer) f.get("embeddingSize"), (Integer) f.get("hiddenSize"),
        (Integer) f.get("layers"), HeadKind.valueOf((String) f.get("head")),
        (Integer) f.get("outputSize"), (Boolean) f.getOrDefault("bidirectional", false),
        Pooling.valueOf((String) f.getOrDefault("pooling", Pooling.LAST.name())),
        Dropout.fromFields(f));
  }

  /** Directions per layer: 2 when bidirectional. */
  public int directions() {
    return bidirectional ? 2 : 1;
  }

  /** Width of what a layer hands on (the next layer's input, the head's input): H or 2H. */
  public int outputWidth() {
    return directions() * hiddenSize;
  }

  /** Width of the vector that layer 0 multiplies by W_x. */
  public int firstLayerInputWidth() {
    return switch (input) {
      case TOKENS, DENSE -> inputSize;
      case EMBEDDING -> embeddingSize;
    };
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
