package io.sparklstm.spark;

import org.apache.spark.api.java.JavaRDD;

/**
 * A range {@code [from, to)} of a tokenised text held by Spark as chunks in reading order, with
 * the global offset of each input partition. Slicing needs no pass over the data.
 */
public record TokenText(JavaRDD<int[]> chunks, long[] starts, long from, long to) {

  public static TokenText of(JavaRDD<int[]> chunks) {
    long[] starts = Sharding.chunkStarts(chunks);
    return new TokenText(chunks, starts, 0, starts[starts.length - 1]);
  }

  public long length() {
    return to - from;
  }

  /** Tokens {@code [a, b)} of this range (relative offsets). */
  public TokenText slice(long a, long b) {
    if (a < 0 || b > length() || a > b) {
      throw new IllegalArgumentException("slice [" + a + ", " + b + ") of " + length() + " tokens");
    }
    return new TokenText(chunks, starts, from + a, from + b);
  }

  /** N contiguous shards, cached. */
  public JavaRDD<int[]> shards(int n) {
    return Sharding.text(chunks, starts, from, to, n);
  }
}
