package io.sparklstm.ml;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A partition's rows mapped a minibatch at a time, lazily: rows stream in and out, and at most
 * one minibatch of a partition is in memory at once.
 */
final class Minibatches {
  private Minibatches() {}

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
