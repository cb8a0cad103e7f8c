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
 *   lstm{l}.wx   [I_l x G]    input weights; I_0 = V (tokens), E (embedding) or F (dense); I_l = H
 *   lstm{l}.wh   [H x G]      recurrent weights
 *   lstm{l}.b    [G]          one bias (PyTorch's bias_ih + bias_hh)
 *   out.w        [H x V]
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
      int in = l == 0 ? spec.firstLayerInputWidth() : h;
      offset = add("lstm" + l + ".wx", offset, in, g, false);
      offset = add("lstm" + l + ".wh", offset, h, g, false);
      offset = add("lstm" + l + ".b", offset, 1, g, true);
    }
    offset = add("out.w", offset, h, spec.outputSize(), false);
    offset = add("out.b", offset, 1, spec.outputSize(), true);
    this.size = offset;
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
    long lstm = (first + h + 1) * g + (spec.layers() - 1) * (h + h + 1) * g;
    return embed + lstm + h * v + v;
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
