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
 */
public record ModelSpec(
    InputKind input, int inputSize, int embeddingSize, int hiddenSize, int layers,
    HeadKind head, int outputSize) implements java.io.Serializable {

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
    /** Softmax cross-entropy on the state after the last unmasked step (classification). */
    LAST_STEP
  }

  public ModelSpec {
    require(input != null && head != null, "input and head kinds are required");
    require(inputSize > 0, "input size must be positive: " + inputSize);
    require(hiddenSize > 0, "hidden size must be positive: " + hiddenSize);
    require(layers > 0, "layer count must be positive: " + layers);
    require(outputSize > 0, "output size must be positive: " + outputSize);
    require((input == InputKind.EMBEDDING) == (embeddingSize > 0),
        "embedding size must be positive exactly when input is EMBEDDING: " + embeddingSize);
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
    return m;
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
