package io.sparklstm.nn;

/**
 * Runs a layer's recurrence over the rows of a batch on the threads the process may use
 * ({@link Blas#threads()}, a Spark task's {@code spark.task.cpus}): with two or more, this
 * thread takes the first share of the sequences and a helper the rest. A split of each step's
 * small product (what OpenBLAS's threads did) leaves the gate math to one thread and pays a
 * hand-over per step; sequences depend on no other row, so shares need none. Each row's
 * arithmetic is the same however the rows are shared, so the bits are too.
 */
final class RowSplit {
  /** Work on the sequences [b0, b1) of a batch. */
  interface Rows {
    void run(int b0, int b1);
  }

  /** Fewer sequences than this run on one thread: a share of under 8 rows is not worth it. */
  private static final int MIN_BATCH = 16;

  /** Off: every batch runs on the calling thread (tests compare the two). */
  static volatile boolean enabled = true;

  private RowSplit() {}

  /**
   * {@code rows} over [0, batch): split in two when {@code splittable} (the work calls no BLAS,
   * whose products split themselves) and two or more threads are allowed.
   */
  static void run(boolean splittable, int batch, Rows rows) {
    if (!enabled || !splittable || batch < MIN_BATCH || Blas.threads() < 2) {
      rows.run(0, batch);
      return;
    }
    int mid = batch / 16 * 8; // shares in whole blocks of 8 rows, the helper's the larger
    TwoThreads.run(() -> rows.run(0, mid), () -> rows.run(mid, batch));
  }
}
