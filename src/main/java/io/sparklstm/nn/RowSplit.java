package io.sparklstm.nn;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a layer's recurrence over the rows of a batch on the threads BLAS may use
 * ({@link Blas#threads()}, a Spark task's {@code spark.task.cpus}): with two or more, this
 * thread takes the first share of the sequences and a helper the rest. OpenBLAS's own threads
 * cannot do this well: they split each step's small product and leave the gate math to one
 * thread. Each row's arithmetic is the same however the rows are shared, so the bits are too.
 */
final class RowSplit {
  /** Work on the sequences [b0, b1) of a batch. */
  interface Rows {
    void run(int b0, int b1);
  }

  /** Fewer sequences than this run on one thread: a share of under 8 rows is not worth it. */
  private static final int MIN_BATCH = 16;

  private static final ExecutorService HELPERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "spark-lstm-rows");
    t.setDaemon(true);
    return t;
  });

  /** Off: every batch runs on the calling thread (tests compare the two). */
  static volatile boolean enabled = true;

  private RowSplit() {}

  /**
   * {@code rows} over [0, batch): split in two when {@code splittable} (the work calls no BLAS,
   * which is not to be entered from two threads at once) and BLAS has two or more threads.
   */
  static void run(boolean splittable, int batch, Rows rows) {
    if (!enabled || !splittable || batch < MIN_BATCH || Blas.threads() < 2) {
      rows.run(0, batch);
      return;
    }
    int mid = batch / 16 * 8; // shares in whole blocks of 8 rows, the helper's the larger
    Future<?> helper = HELPERS.submit(() -> rows.run(mid, batch));
    try {
      rows.run(0, mid);
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
        interrupted = true; // the helper writes into this layer's buffers: wait for it anyway
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
