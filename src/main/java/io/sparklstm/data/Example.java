package io.sparklstm.data;

/**
 * One labelled sequence: token ids, or dense features of {@code width} values per step
 * (row-major, steps x width), with a label for the whole sequence (classification) or one tag
 * per token (tagging; {@code label} is then -1).
 */
public record Example(int[] tokens, float[] features, int width, int label, int[] tags)
    implements java.io.Serializable {

  public static Example ofTokens(int[] tokens, int label) {
    return new Example(tokens, null, 0, label, null);
  }

  public static Example ofFeatures(float[] features, int width, int label) {
    if (width < 1 || features.length % width != 0) {
      throw new IllegalArgumentException(
          "feature count " + features.length + " is not a multiple of the width " + width);
    }
    return new Example(null, features, width, label, null);
  }

  /** A tagged sequence: {@code tags[t]} is the tag of {@code tokens[t]}. */
  public static Example ofTagged(int[] tokens, int[] tags) {
    if (tokens.length != tags.length || tokens.length == 0) {
      throw new IllegalArgumentException(tokens.length + " tokens and " + tags.length
          + " tags; expected as many tags as tokens, at least one");
    }
    return new Example(tokens, null, 0, -1, tags);
  }

  public int steps() {
    return tokens != null ? tokens.length : features.length / width;
  }
}
