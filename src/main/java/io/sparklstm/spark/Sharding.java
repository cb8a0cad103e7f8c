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
  /** Tokens in one piece of a text's shuffle, at most. */
  private static final int PIECE = 1 << 16;

  private Sharding() {}

  /**
   * Example i goes to shard i mod N, kept in index order: sizes differ by at most one. {@code
   * sizes}: each partition's count ({@link #sizes}), which numbers the examples without a pass.
   */
  public static JavaRDD<ExampleShard> examples(JavaRDD<Example> data, long[] sizes, int shards) {
    return byIndex(data, sizes, shards).map(ExampleShard::of)
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** Each partition's number of elements, in partition order (one pass). */
  public static long[] sizes(JavaRDD<?> data) {
    return data.mapPartitions(it -> {
      long n = 0;
      for (; it.hasNext(); it.next()) {
        n++;
      }
      return List.of(n).iterator();
    }).collect().stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * Element i to shard i mod N, in index order, as one list per partition (not persisted);
   * {@code sizes} as for {@link #examples}.
   */
  public static <T> JavaRDD<List<T>> byIndex(JavaRDD<T> data, long[] sizes, int shards) {
    long[] starts = new long[sizes.length];
    for (int p = 1; p < sizes.length; p++) {
      starts[p] = starts[p - 1] + sizes[p - 1];
    }
    JavaPairRDD<Long, T> indexed = data.mapPartitionsWithIndex((p, it) -> {
      long[] next = {starts[p]};
      return new Iterator<Tuple2<Long, T>>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Tuple2<Long, T> next() {
          return new Tuple2<>(next[0]++, it.next());
        }
      };
    }, true).mapToPair(t -> t);
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
   * The chunks of one input partition (the first at global offset {@code offset}) as pieces of
   * at most {@link #PIECE} consecutive tokens of one shard, as (position in the range, tokens),
   * produced lazily so that the shuffle streams them: an input partition's tokens are never held
   * in memory at once, and the shuffle moves few large arrays rather than a record per line.
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
        int[] piece = new int[(int) Math.min(PIECE, shardEnd - pos)];
        int filled = 0;
        // Tokens in the range follow each other from chunk to chunk: the piece stays contiguous.
        while (filled < piece.length && hasNext()) {
          int n = Math.min(end - i, piece.length - filled);
          System.arraycopy(chunk, i, piece, filled, n);
          i += n;
          filled += n;
        }
        return new Tuple2<>(pos, filled == piece.length ? piece : Arrays.copyOf(piece, filled));
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
