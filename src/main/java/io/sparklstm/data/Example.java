package io.sparklstm.data;

/**
 * One labelled sequence: token ids, or dense features of {@code width} values per step
 * (row-major, steps x width).
 */
public record Example(int[] tokens, float[] features, int width, int label)
    implements java.io.Serializable {

  public static Example ofTokens(int[] tokens, int label) {
    return new Example(tokens, null, 0, label);
  }

  public static Example ofFeatures(float[] features, int width, int label) {
    if (width < 1 || features.length % width != 0) {
      throw new IllegalArgumentException(
          "feature count " + features.length + " is not a multiple of the width " + width);
    }
    return new Example(null, features, width, label);
  }

  public int steps() {
    return tokens != null ? tokens.length : features.length / width;
  }
}
