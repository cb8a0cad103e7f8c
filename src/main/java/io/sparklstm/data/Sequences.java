package io.sparklstm.data;

import java.util.List;

/**
 * Labelled sequences as the batcher reads them: step by step, straight from wherever they are
 * stored (a list of {@link Example}s, or a Spark shard's flat arrays), so packing a minibatch
 * copies each value once and creates no object per example.
 */
public interface Sequences {
  int size();

  int steps(int i);

  int label(int i);

  /** The tag of step t of sequence i (tagged sequences). */
  int tag(int i, int t);

  /** Token id of step t of sequence i (token input). */
  int token(int i, int t);

  /** Copies the {@code width} features of step t of sequence i to {@code dst[offset..]}. */
  void copyFeatures(int i, int t, float[] dst, int offset, int width);

  /** A view of a list of examples (all token examples or all of one feature width). */
  static Sequences of(List<Example> examples) {
    return new Sequences() {
      @Override
      public int size() {
        return examples.size();
      }

      @Override
      public int steps(int i) {
        return examples.get(i).steps();
      }

      @Override
      public int label(int i) {
        return examples.get(i).label();
      }

      @Override
      public int token(int i, int t) {
        return examples.get(i).tokens()[t];
      }

      @Override
      public int tag(int i, int t) {
        return examples.get(i).tags()[t];
      }

      @Override
      public void copyFeatures(int i, int t, float[] dst, int offset, int width) {
        Example e = examples.get(i);
        if (e.width() != width) {
          throw new IllegalArgumentException("example " + i + " has " + e.width()
              + " features per step, the model expects " + width);
        }
        System.arraycopy(e.features(), t * width, dst, offset, width);
      }
    };
  }
}
