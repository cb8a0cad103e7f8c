package io.sparklstm.nn;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Two pieces of work at once: the second on a helper thread, the first on the caller's. The
 * helpers wait parked between calls, so an idle helper takes no core from the caller (unlike
 * OpenBLAS's own threads, which spin for ~0.1 s after every product and so slowed the work that
 * came between products, see {@link Blas}).
 */
final class TwoThreads {
  private static final ExecutorService HELPERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "spark-lstm-helper");
    t.setDaemon(true);
    return t;
  });

  private TwoThreads() {}

  /** Runs both and returns when both are done; the first failure is thrown. */
  static void run(Runnable first, Runnable second) {
    Future<?> helper = HELPERS.submit(second);
    try {
      first.run();
    } finally {
      join(helper);
    }
  }

  private static void join(Future<?> helper) {
    boolean interrupted = false;
    while (true) {
      try {
        helper.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the helper writes into buffers the caller owns: wait for it anyway
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(e.getCause());
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
