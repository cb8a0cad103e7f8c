package io.sparklstm.ml;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A partition's rows mapped a group at a time, lazily: rows stream in and out, and at most one
 * group of a partition is in memory at once. Scorers take a group of {@link #LOOKAHEAD}
 * minibatches and batch its rows by length ({@link #byLength}), so that a minibatch pads little.
 */
final class Minibatches {
  /** Minibatches per group. */
  static final int LOOKAHEAD = 8;

  private Minibatches() {}

  /** Indices 0..n-1 ordered by {@code length}, ties in index order (deterministic). */
  static int[] byLength(int n, java.util.function.IntUnaryOperator length) {
    return java.util.stream.IntStream.range(0, n).boxed()
        .sorted(java.util.Comparator.comparingInt(length::applyAsInt))
        .mapToInt(Integer::intValue).toArray();
  }

  /** {@code f} of each run of up to {@code size} rows of {@code in}, flattened; f keeps order. */
  static <A, B> Iterator<B> map(Iterator<A> in, int size, Function<List<A>, List<B>> f) {
    return new Iterator<>() {
      private Iterator<B> ready = List.<B>of().iterator();

      @Override
      public boolean hasNext() {
        while (!ready.hasNext() && in.hasNext()) {
          List<A> batch = new ArrayList<>(size);
          while (batch.size() < size && in.hasNext()) {
            batch.add(in.next());
          }
          ready = f.apply(batch).iterator();
        }
        return ready.hasNext();
      }

      @Override
      public B next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.next();
      }
    };
  }
}
