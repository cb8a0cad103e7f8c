package io.sparklstm.spark;

import java.io.Serializable;
import java.util.TreeMap;

/**
 * Sums one value per partition in a fixed binary tree over partition indices, whatever order the
 * values arrive and are merged in. Floating-point addition is commutative but not associative:
 * summing two values always gives the same bits, summing many depends on the grouping. Here each
 * node is the sum of exactly its two children, so the result is the same for every schedule,
 * retry and master, which is what makes Spark training bit-reproducible.
 *
 * <p>Nodes are dyadic ranges {@code [lo, lo + size)} of partition indices; a node whose sibling
 * range holds no partition is promoted unchanged.
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
