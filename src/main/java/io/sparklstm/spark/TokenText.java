package io.sparklstm.spark;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * A range {@code [from, to)} of a tokenised text held by Spark as chunks in reading order, with
 * the global offset of each input partition and the hash of all the chunks' tokens (found in the
 * same pass; checkpoints record it). Slicing needs no pass over the data.
 */
public record TokenText(JavaRDD<int[]> chunks, long[] starts, ContentHash content, long from,
    long to) {

  public static TokenText of(JavaRDD<int[]> chunks) {
    return of(chunks, ContentHash.tokenParts(chunks));
  }

  /** The chunks whose partitions hold {@code parts} (their token counts and hashes, in order). */
  static TokenText of(JavaRDD<int[]> chunks, List<ContentHash> parts) {
    long[] starts = new long[parts.size() + 1];
    for (int i = 0; i < parts.size(); i++) {
      starts[i + 1] = starts[i] + parts.get(i).count();
    }
    return new TokenText(chunks, starts, ContentHash.join(parts), 0, starts[parts.size()]);
  }

  public long length() {
    return to - from;
  }

  /** Tokens {@code [a, b)} of this range (relative offsets). */
  public TokenText slice(long a, long b) {
    if (a < 0 || b > length() || a > b) {
      throw new IllegalArgumentException("slice [" + a + ", " + b + ") of " + length() + " tokens");
    }
    return new TokenText(chunks, starts, content, from + a, from + b);
  }

  /** N contiguous shards, cached. */
  public JavaRDD<int[]> shards(int n) {
    return Sharding.text(chunks, starts, from, to, n);
  }
}
