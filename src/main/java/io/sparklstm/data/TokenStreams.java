package io.sparklstm.data;

import io.sparklstm.nn.Batch;

/**
 * A token sequence cut into B contiguous streams, read in windows of T steps for truncated
 * BPTT: window w holds, for every stream, tokens {@code [w*T, w*T + T)} of that stream as inputs
 * and the next token of each as targets. Stream b covers tokens
 * {@code [b*L, b*L + L]} with L = (n - 1) / B, so consecutive windows continue each other and the
 * recurrent state carries across them. The last window may be shorter than T.
 */
public final class TokenStreams {
  private final int[] corpus;
  private final int from;
  private final int streams;
  private final int window;
  private final int streamLength;
  private final int[] inputs;
  private final int[] targets;

  /** Streams over {@code corpus[from, to)}. */
  public TokenStreams(int[] corpus, int from, int to, int streams, int window) {
    if (streams < 1 || window < 1) {
      throw new IllegalArgumentException("streams and window must be positive");
    }
    this.corpus = corpus;
    this.from = from;
    this.streams = streams;
    this.window = window;
    this.streamLength = (to - from - 1) / streams;
    if (streamLength < 1) {
      throw new IllegalArgumentException("a text of " + (to - from) + " tokens is too short for "
          + streams + " streams (each needs at least 2 tokens)");
    }
    this.inputs = new int[streams * window];
    this.targets = new int[streams * window];
  }

  /** Number of windows that cover every stream once. */
  public int windows() {
    return (streamLength + window - 1) / window;
  }

  public int streams() {
    return streams;
  }

  /** Window {@code w}, in arrays reused by the next call. */
  public Batch window(int w) {
    int start = w * window;
    int steps = Math.min(window, streamLength - start);
    if (w < 0 || steps < 1) {
      throw new IllegalArgumentException("window " + w + " outside 0.." + (windows() - 1));
    }
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < streams; b++) {
        int pos = from + b * streamLength + start + t;
        inputs[t * streams + b] = corpus[pos];
        targets[t * streams + b] = corpus[pos + 1];
      }
    }
    return new Batch(streams, steps, inputs, null, targets, null);
  }
}
