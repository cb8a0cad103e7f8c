package io.sparklstm.spark;

import java.io.Serializable;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Sums one value per partition in a fixed binary tree over partition indices, whatever order the
 * values arrive and are merged in. Floating-point addition is commutative but not associative:
 * summing two values always gives the same bits, summing many depends on the grouping. Here each
 * node is the sum of exactly its two children, so the result is the same for every schedule,
 * retry and master, which is what makes Spark training bit-reproducible.
 *
 * <p>Nodes are dyadic ranges {@code [lo, lo + size)} of partition indices; a node whose sibling
 * range holds no partition is promoted unchanged.
 *
 * <p>{@link #sum} reduces an RDD of one tree per partition: with more than 4 partitions the
 * executors first sum contiguous blocks of {@link #blockSize} partitions. A block is a whole
 * subtree, so it leaves its reducer as one value and the driver receives one per block. (Spark's
 * treeAggregate does not do this: its intermediate level groups partition i with i mod s, which
 * separates tree siblings, so every partition's value reached the driver unsummed.) The grouping
 * cannot change the bits: each node is the sum of its two children wherever it is formed.
 */
public final class PartitionTree<T extends PartitionTree.Summable<T>> implements Serializable {
  /** A value with a commutative, exact-for-two-operands sum (e.g. elementwise double addition). */
  public interface Summable<T> extends Serializable {
    /** {@code this + other}; may reuse either operand's storage. */
    T plus(T other);
  }

  private final int partitions;
  private final int span;
  /** Key: size * 2^32 + lo. */
  private final TreeMap<Long, T> nodes = new TreeMap<>();

  private PartitionTree(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be positive: " + partitions);
    }
    this.partitions = partitions;
    this.span = Integer.highestOneBit(partitions) == partitions ? partitions
        : Integer.highestOneBit(partitions) << 1;
  }

  public static <T extends Summable<T>> PartitionTree<T> empty(int partitions) {
    return new PartitionTree<>(partitions);
  }

  public static <T extends Summable<T>> PartitionTree<T> leaf(int partitions, int index, T value) {
    PartitionTree<T> t = new PartitionTree<>(partitions);
    if (index < 0 || index >= partitions) {
      throw new IllegalArgumentException("partition " + index + " outside 0.." + (partitions - 1));
    }
    t.insert(index, 1, value);
    return t;
  }

  /**
   * Partitions per executor-side block of {@link #sum}: a power of two near sqrt(partitions), so
   * blocks are dyadic ranges; 1 (the driver merges every partition) for up to 4 partitions.
   */
  public static int blockSize(int partitions) {
    return partitions <= 4 ? 1 : Integer.highestOneBit((int) Math.ceil(Math.sqrt(partitions)));
  }

  /** The sum over {@code trees}, one leaf tree for each of its {@code partitions} partitions. */
  public static <T extends Summable<T>> T sum(JavaRDD<PartitionTree<T>> trees, int partitions) {
    PartitionTree<T> all = empty(partitions);
    blockSums(trees, partitions).forEach(all::merge);
    return all.result();
  }

  /** What reaches the driver: one tree per block, each summed on an executor. */
  static <T extends Summable<T>> List<PartitionTree<T>> blockSums(JavaRDD<PartitionTree<T>> trees,
      int partitions) {
    int block = blockSize(partitions);
    return block == 1 ? trees.collect()
        : trees.mapToPair(t -> new Tuple2<>(t.first() / block, t))
            .reduceByKey(PartitionTree::merge, (partitions + block - 1) / block).values()
            .collect();
  }

  /** Nodes not yet summed into their parents (1 for a whole subtree). */
  int nodeCount() {
    return nodes.size();
  }

  /** The lowest partition index this tree holds (a leaf's own). */
  private int first() {
    return nodes.keySet().stream().mapToInt(k -> (int) (long) k).min().orElseThrow();
  }

  /** Adds every node of {@code other} into this tree; returns this. */
  public PartitionTree<T> merge(PartitionTree<T> other) {
    if (other.partitions != partitions) {
      throw new IllegalArgumentException("trees over " + partitions + " and " + other.partitions
          + " partitions");
    }
    other.nodes.forEach((key, value) -> insert((int) (long) key, (int) (key >>> 32), value));
    return this;
  }

  /** The sum over all partitions; fails unless every partition was merged in. */
  public T result() {
    T root = nodes.get(key(0, span));
    if (root == null || nodes.size() != 1) {
      throw new IllegalStateException("not every partition has reported: " + nodes.keySet());
    }
    return root;
  }

  private void insert(int lo, int size, T value) {
    while (size < span) {
      int sibling = lo ^ size;
      if (sibling < partitions) { // otherwise the sibling range is empty: promote unchanged
        T other = nodes.remove(key(sibling, size));
        if (other == null) {
          break;
        }
        value = lo < sibling ? value.plus(other) : other.plus(value);
      }
      lo &= ~size;
      size <<= 1;
    }
    if (nodes.putIfAbsent(key(lo, size), value) != null) {
      throw new IllegalStateException("partition range " + lo + "+" + size + " reported twice");
    }
  }

  private static long key(int lo, int size) {
    return ((long) size << 32) | lo;
  }
}
