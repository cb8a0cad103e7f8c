package io.sparklstm.train;

/**
 * How decoded sequences compare with their references: sequence accuracy (exactly right; its
 * complement is the word error rate of grapheme-to-phoneme conversion) and the element error
 * rate (the summed Levenshtein distance over the summed reference length: the phoneme error
 * rate). Add counts with {@link #record}; mergeable across workers.
 */
public final class SequenceMetrics implements java.io.Serializable {
  private long sequences;
  private long exact;
  private long edits;
  private long referenceLength;

  public void record(int[] reference, int[] hypothesis) {
    int d = editDistance(reference, hypothesis);
    sequences++;
    exact += d == 0 ? 1 : 0;
    edits += d;
    referenceLength += reference.length;
  }

  public void add(SequenceMetrics other) {
    sequences += other.sequences;
    exact += other.exact;
    edits += other.edits;
    referenceLength += other.referenceLength;
  }

  public long sequences() {
    return sequences;
  }

  public double sequenceAccuracy() {
    return sequences == 0 ? Double.NaN : (double) exact / sequences;
  }

  /** 1 - sequence accuracy: the fraction of sequences with at least one error. */
  public double sequenceErrorRate() {
    return 1 - sequenceAccuracy();
  }

  /** Insertions, deletions and substitutions per reference element. */
  public double elementErrorRate() {
    return referenceLength == 0 ? Double.NaN : (double) edits / referenceLength;
  }

  /** The Levenshtein distance (unit costs) between two id sequences. */
  public static int editDistance(int[] a, int[] b) {
    int[] prev = new int[b.length + 1];
    int[] cur = new int[b.length + 1];
    for (int j = 0; j <= b.length; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length; i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length; j++) {
        int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length];
  }
}
