package io.sparklstm.spark;

import io.sparklstm.data.Example;
import io.sparklstm.data.Sequences;
import java.io.Serializable;
import java.util.List;

/**
 * One partition's labelled sequences in a compact form: all token ids (or feature values) in one
 * array with offsets, labels in another; no object per example, neither while cached nor while
 * the batcher reads it. Tagged sequences keep their tags beside the tokens, at the same offsets.
 */
public final class ExampleShard implements Sequences, Serializable {
  private final int[] offsets;
  private final int[] tokens;
  private final float[] features;
  private final int width;
  private final int[] labels;
  /** Tags at the tokens' offsets; null unless the examples are tagged. */
  private final int[] tags;

  private ExampleShard(int[] offsets, int[] tokens, float[] features, int width, int[] labels,
      int[] tags) {
    this.offsets = offsets;
    this.tokens = tokens;
    this.features = features;
    this.width = width;
    this.labels = labels;
    this.tags = tags;
  }

  /** Packs {@code examples}, which must all be token examples or all have one feature width. */
  public static ExampleShard of(List<Example> examples) {
    int n = examples.size();
    int[] offsets = new int[n + 1];
    boolean dense = n > 0 && examples.get(0).features() != null;
    int width = dense ? examples.get(0).width() : 0;
    boolean tagged = n > 0 && examples.get(0).tags() != null;
    for (int i = 0; i < n; i++) {
      Example e = examples.get(i);
      if ((e.features() != null) != dense || (dense && e.width() != width)
          || (e.tags() != null) != tagged) {
        throw new IllegalArgumentException("example " + i + " does not match the first example's "
            + (dense ? width + " features per step" : tagged ? "tagged tokens" : "token input"));
      }
      offsets[i + 1] = offsets[i] + (dense ? e.features().length : e.tokens().length);
    }
    int[] tokens = dense ? null : new int[offsets[n]];
    float[] features = dense ? new float[offsets[n]] : null;
    int[] labels = new int[n];
    int[] tags = tagged ? new int[offsets[n]] : null;
    for (int i = 0; i < n; i++) {
      Example e = examples.get(i);
      if (dense) {
        System.arraycopy(e.features(), 0, features, offsets[i], e.features().length);
      } else {
        System.arraycopy(e.tokens(), 0, tokens, offsets[i], e.tokens().length);
      }
      if (tagged) {
        System.arraycopy(e.tags(), 0, tags, offsets[i], e.tags().length);
      }
      labels[i] = e.label();
    }
    return new ExampleShard(offsets, tokens, features, width, labels, tags);
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public int steps(int i) {
    int n = offsets[i + 1] - offsets[i];
    return tokens != null ? n : n / width;
  }

  @Override
  public int label(int i) {
    return labels[i];
  }

  @Override
  public int token(int i, int t) {
    return tokens[offsets[i] + t];
  }

  @Override
  public int tag(int i, int t) {
    return tags[offsets[i] + t];
  }

  @Override
  public void copyFeatures(int i, int t, float[] dst, int offset, int w) {
    if (w != width) {
      throw new IllegalArgumentException("shard holds " + width + " features per step, the "
          + "model expects " + w);
    }
    System.arraycopy(features, offsets[i] + t * width, dst, offset, width);
  }
}
