package io.sparklstm.spark;

import io.sparklstm.data.Example;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Cuts a dataset into N balanced, deterministic shards, one compact object per partition, cached
 * at a storage level that spills to disk. Membership and order inside a shard follow the global
 * index of each element, never the order Spark happens to fetch blocks in.
 */
public final class Sharding {
  private Sharding() {}

  /** Example i goes to shard i mod N, kept in index order: sizes differ by at most one. */
  public static JavaRDD<ExampleShard> examples(JavaRDD<Example> data, int shards) {
    return byIndex(data, shards).map(ExampleShard::of).persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** Element i to shard i mod N, in index order, as one list per partition (not persisted). */
  public static <T> JavaRDD<List<T>> byIndex(JavaRDD<T> data, int shards) {
    JavaPairRDD<Long, T> indexed = data.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2, t._1));
    return indexed.partitionBy(new ByKey(shards, false)).mapPartitions(it -> {
      List<Tuple2<Long, T>> rows = new ArrayList<>();
      it.forEachRemaining(rows::add);
      rows.sort((a, b) -> Long.compare(a._1, b._1));
      List<T> ex = new ArrayList<>(rows.size());
      rows.forEach(r -> ex.add(r._2));
      return List.of(ex).iterator();
    }, true);
  }

  /**
   * Tokens {@code [from, to)} of a text given as token chunks in reading order, cut into N
   * contiguous shards of near-equal length: token p of the range goes to shard floor(p N / L).
   */
  public static JavaRDD<int[]> text(JavaRDD<int[]> chunks, long[] starts, long from, long to,
      int shards) {
    long total = to - from;
    if (total < 2L * shards) {
      throw new IllegalArgumentException("a text of " + total + " tokens cannot be cut into "
          + shards + " shards of at least 2 tokens");
    }
    JavaPairRDD<Long, int[]> pieces = chunks.mapPartitionsWithIndex((p, it) ->
        pieces(it, starts[p], from, to, shards), true).mapToPair(t -> t);
    return pieces.partitionBy(new ByKey(shards, true, total)).mapPartitions(it -> {
      List<Tuple2<Long, int[]>> rows = new ArrayList<>();
      it.forEachRemaining(rows::add);
      rows.sort((a, b) -> Long.compare(a._1, b._1));
      int n = 0;
      for (Tuple2<Long, int[]> r : rows) {
        n += r._2.length;
      }
      int[] shard = new int[n];
      int at = 0;
      for (Tuple2<Long, int[]> r : rows) {
        System.arraycopy(r._2, 0, shard, at, r._2.length);
        at += r._2.length;
      }
      return List.of(shard).iterator();
    }, true).persist(StorageLevel.MEMORY_AND_DISK());
  }

  /**
   * The chunks of one input partition (the first at global offset {@code offset}) cut at shard
   * boundaries, as (position in the range, tokens), produced lazily so that the shuffle streams
   * them: an input partition's tokens are never held in memory at once.
   */
  private static Iterator<Tuple2<Long, int[]>> pieces(Iterator<int[]> chunks, long offset,
      long from, long to, int shards) {
    long total = to - from;
    return new Iterator<>() {
      private long chunkStart = offset;
      private int[] chunk = new int[0];
      private int i;
      private int end;

      @Override
      public boolean hasNext() {
        while (i >= end) {
          if (!chunks.hasNext()) {
            return false;
          }
          chunkStart += chunk.length;
          chunk = chunks.next();
          i = (int) Math.max(0, Math.min(chunk.length, from - chunkStart));
          end = (int) Math.max(0, Math.min(chunk.length, to - chunkStart));
        }
        return true;
      }

      @Override
      public Tuple2<Long, int[]> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        long pos = chunkStart + i - from;
        long shardEnd = ((rangeShard(pos, shards, total) + 1) * total + shards - 1) / shards;
        int n = (int) Math.min(end - i, shardEnd - pos);
        Tuple2<Long, int[]> piece = new Tuple2<>(pos, Arrays.copyOfRange(chunk, i, i + n));
        i += n;
        return piece;
      }
    };
  }

  /** The shard of token {@code pos} of a range of {@code total}: floor(pos N / L). */
  private static int rangeShard(long pos, int shards, long total) {
    return (int) (pos * shards / total);
  }

  /** Routes a global index to its shard: modulo for examples, by range for text. */
  static final class ByKey extends Partitioner {
    private final int shards;
    private final boolean ranges;
    private final long total;

    ByKey(int shards, boolean ranges) {
      this(shards, ranges, 0);
    }

    ByKey(int shards, boolean ranges, long total) {
      this.shards = shards;
      this.ranges = ranges;
      this.total = total;
    }

    @Override
    public int numPartitions() {
      return shards;
    }

    @Override
    public int getPartition(Object key) {
      long k = (Long) key;
      return ranges ? rangeShard(k, shards, total) : (int) (k % shards);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByKey b && b.shards == shards && b.ranges == ranges && b.total == total;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(shards * 31L + total) + (ranges ? 1 : 0);
    }
  }
}
