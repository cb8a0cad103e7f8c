package io.sparklstm.nn;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Two pieces of work at once: the second on a helper thread, the first on the caller's.
 *
 * <p>A helper that has just finished waits spinning for a while before it parks, and a caller
 * whose share ended first spins for a while before it parks: a training step hands work over
 * tens of times, and on a virtual machine waking a parked thread costs about 0.1 ms (AMD EPYC,
 * cpu family 25 model 1, under KVM: 90-120 us against 0.15 us for a spinning thread), which made
 * two threads slower than one. The spins are bounded so that an idle helper soon gives its core
 * back (OpenBLAS's own threads spin for ~0.1 s after every product, which slowed the work that
 * came between products, see {@link Blas}).
 */
final class TwoThreads {
  /** How long a helper or a waiting caller spins before it parks. */
  private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
  /** A helper idle this long ends (Spark's task threads come and go). */
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** Last in, first out: a caller gets the helper that finished last, the likeliest to spin. */
  private static final ConcurrentLinkedDeque<Helper> FREE = new ConcurrentLinkedDeque<>();

  private TwoThreads() {}

  /** Runs both and returns when both are done; the first failure is thrown. */
  static void run(Runnable first, Runnable second) {
    Helper helper = acquire();
    helper.start(second);
    Throwable failure = null;
    try {
      first.run();
    } catch (Throwable t) {
      failure = t;
    }
    Throwable helperFailure = helper.await();
    FREE.offerFirst(helper);
    if (failure == null) {
      failure = helperFailure;
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }

  private static Helper acquire() {
    Helper h;
    while ((h = FREE.pollFirst()) != null) {
      if (h.claim()) {
        return h;
      }
    }
    return new Helper(); // born claimed: it cannot end before its first job
  }

  /** One helper thread; a caller claims it from {@link TwoThreads#FREE}, hands it a job and waits. */
  private static final class Helper implements Runnable {
    private static final int IDLE_STATE = 0;
    private static final int CLAIMED = 1;
    private static final int ENDED = 2;

    private final AtomicInteger state = new AtomicInteger(CLAIMED);
    private final Thread thread;
    private volatile Runnable job;
    private volatile boolean done;
    private volatile Throwable failure;
    private volatile Thread waiter;

    Helper() {
      thread = new Thread(this, "spark-lstm-helper");
      thread.setDaemon(true);
      thread.start();
    }

    /** Whether this caller now owns the helper (false when it has ended). */
    boolean claim() {
      return state.compareAndSet(IDLE_STATE, CLAIMED);
    }

    void start(Runnable work) {
      done = false;
      failure = null;
      job = work;
      LockSupport.unpark(thread);
    }

    /** Waits for the job handed over; its failure, or null. */
    Throwable await() {
      long spinUntil = System.nanoTime() + SPIN_NANOS;
      while (!done && System.nanoTime() < spinUntil) {
        Thread.onSpinWait();
      }
      if (!done) {
        waiter = Thread.currentThread();
        boolean interrupted = false;
        while (!done) { // the helper writes into buffers the caller owns: wait for it anyway
          LockSupport.park(this);
          interrupted |= Thread.interrupted();
        }
        waiter = null;
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      state.set(IDLE_STATE);
      return failure;
    }

    @Override
    public void run() {
      long idleSince = System.nanoTime();
      while (true) {
        Runnable work = job;
        if (work == null) {
          long idle = System.nanoTime() - idleSince;
          if (idle < SPIN_NANOS) {
            Thread.onSpinWait();
          } else if (idle < IDLE_NANOS) {
            LockSupport.parkNanos(this, IDLE_NANOS - idle);
          } else if (state.compareAndSet(IDLE_STATE, ENDED)) {
            FREE.remove(this);
            return;
          } else {
            LockSupport.parkNanos(this, SPIN_NANOS); // claimed: its job comes with an unpark
          }
          continue;
        }
        job = null;
        try {
          work.run();
        } catch (Throwable t) {
          failure = t;
        }
        Thread.interrupted(); // a job's interrupt must neither reach the next nor stop parkNanos
        done = true;
        Thread w = waiter;
        if (w != null) {
          LockSupport.unpark(w);
        }
        idleSince = System.nanoTime();
      }
    }
  }
}
