package io.sparklstm.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each named tensor lives in the single flat parameter vector. Gradients and optimizer
 * moments use the same layout, so averaging a model is averaging one vector.
 *
 * <p>Tensors, all row-major (G = 4H, gate blocks in the order i, f, g, o as in PyTorch):
 * <pre>
 *   embed        [V x E]      (EMBEDDING input only)
 *   lstm{l}.wx   [I_l x G]    input weights; I_0 = V (tokens), E (embedding) or F (dense); I_l = W
 *   lstm{l}.wh   [H x G]      recurrent weights
 *   lstm{l}.b    [G]          one bias (PyTorch's bias_ih + bias_hh)
 *   lstm{l}_reverse.wx, .wh, .b   the same for the backward direction (bidirectional only)
 *   out.w        [W x V]
 *   out.b        [V]
 * </pre>
 * W, the width a layer hands on, is H, or 2H when bidirectional (forward states, then backward).
 *
 * <p>An encoder-decoder ({@link Seq2SeqSpec}) has its own tensors:
 * <pre>
 *   enc{l}.wx, .wh, .b         encoder layer l (I_0 = source vocabulary, I_l = H or 2H)
 *   enc{l}_reverse.wx, .wh, .b its backward direction (bidirectional only)
 *   dec{l}.wx, .wh, .b         decoder layer l (I_0 = target vocabulary, I_l = H)
 *   attn.w       [2H x H]      attention only: h~ = tanh([context; h] attn.w + attn.b)
 *   attn.b       [H]
 *   out.w        [H x V]       V = target vocabulary
 *   out.b        [V]
 * </pre>
 */
public final class ParamLayout {
  /** A named view: {@code rows x cols} elements starting at {@code offset}. */
  public record Tensor(String name, int offset, int rows, int cols, boolean bias) {
    public int size() {
      return rows * cols;
    }
  }

  private final Map<String, Tensor> byName = new LinkedHashMap<>();
  private final int size;

  public ParamLayout(ModelSpec spec) {
    int h = spec.hiddenSize();
    int g = 4 * h;
    int offset = 0;
    if (spec.input() == ModelSpec.InputKind.EMBEDDING) {
      offset = add("embed", offset, spec.inputSize(), spec.embeddingSize(), false);
    }
    for (int l = 0; l < spec.layers(); l++) {
      int in = l == 0 ? spec.firstLayerInputWidth() : spec.outputWidth();
      for (int d = 0; d < spec.directions(); d++) {
        String name = layerName(l, d == 1);
        offset = add(name + ".wx", offset, in, g, false);
        offset = add(name + ".wh", offset, h, g, false);
        offset = add(name + ".b", offset, 1, g, true);
      }
    }
    offset = add("out.w", offset, spec.outputWidth(), spec.outputSize(), false);
    offset = add("out.b", offset, 1, spec.outputSize(), true);
    this.size = offset;
  }

  /** The layout of an encoder-decoder (see the class comment). */
  public ParamLayout(Seq2SeqSpec spec) {
    int h = spec.hiddenSize();
    int g = 4 * h;
    int offset = 0;
    for (int l = 0; l < spec.layers(); l++) {
      int in = l == 0 ? spec.sourceVocab() : spec.directions() * h;
      for (int d = 0; d < spec.directions(); d++) {
        offset = addLayer(ENCODER + l + (d == 1 ? "_reverse" : ""), offset, in, g);
      }
    }
    for (int l = 0; l < spec.layers(); l++) {
      offset = addLayer(DECODER + l, offset, l == 0 ? spec.targetVocab() : h, g);
    }
    if (spec.attention()) {
      offset = add("attn.w", offset, 2 * h, h, false);
      offset = add("attn.b", offset, 1, h, true);
    }
    offset = add("out.w", offset, h, spec.targetVocab(), false);
    offset = add("out.b", offset, 1, spec.targetVocab(), true);
    this.size = offset;
  }

  /** Tensor name prefixes of encoder and decoder layers. */
  static final String ENCODER = "enc";
  static final String DECODER = "dec";

  private int addLayer(String name, int offset, int in, int g) {
    offset = add(name + ".wx", offset, in, g, false);
    offset = add(name + ".wh", offset, g / 4, g, false);
    return add(name + ".b", offset, 1, g, true);
  }

  /**
   * The parameter count of {@code spec}'s layout, computed in long: also for a model too large
   * for one buffer, so that memory checks can name its size before anything is allocated.
   */
  public static long count(ModelSpec spec) {
    long h = spec.hiddenSize();
    long g = 4 * h;
    long v = spec.outputSize();
    long embed = spec.input() == ModelSpec.InputKind.EMBEDDING
        ? (long) spec.inputSize() * spec.embeddingSize() : 0;
    long first = spec.firstLayerInputWidth();
    long w = spec.outputWidth();
    long lstm = spec.directions() * ((first + h + 1) * g + (spec.layers() - 1) * (w + h + 1) * g);
    return embed + lstm + w * v + v;
  }

  /** The tensor name prefix of layer {@code l}, forward or backward ({@code reverse}) direction. */
  public static String layerName(int l, boolean reverse) {
    return "lstm" + l + (reverse ? "_reverse" : "");
  }

  private int add(String name, int offset, int rows, int cols, boolean bias) {
    long end = (long) offset + (long) rows * cols;
    if (end > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("model too large for one flat buffer at " + name
          + " (more than " + (Integer.MAX_VALUE - 16) + " parameters); lower model.hidden or"
          + " model.layers");
    }
    byName.put(name, new Tensor(name, offset, rows, cols, bias));
    return (int) end;
  }

  /** Total number of parameters. */
  public int size() {
    return size;
  }

  public Tensor get(String name) {
    Tensor t = byName.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no tensor named " + name + "; have " + byName.keySet());
    }
    return t;
  }

  public List<Tensor> tensors() {
    return Collections.unmodifiableList(new ArrayList<>(byName.values()));
  }
}
