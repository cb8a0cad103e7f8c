package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The hand-over of half a piece of work to a helper thread, and back. */
class TwoThreadsTest {
  @Test
  void bothHalvesRunAndTheHelpersWritesAreVisibleAfterwards() {
    long[] sums = new long[2];
    for (int round = 0; round < 20_000; round++) {
      int r = round;
      TwoThreads.run(() -> sums[0] += r, () -> sums[1] += 2L * r);
      assertEquals(2 * sums[0], sums[1], "round " + round);
    }
  }

  @Test
  void theSecondHalfRunsOnAnotherThread() {
    AtomicReference<Thread> helper = new AtomicReference<>();
    TwoThreads.run(() -> { }, () -> helper.set(Thread.currentThread()));
    assertNotEquals(Thread.currentThread(), helper.get());
    assertTrue(helper.get().isDaemon(), "an idle helper must not keep the JVM alive");
  }

  @Test
  void aFailureOfEitherHalfReachesTheCallerAfterBothEnded() {
    AtomicBoolean firstRan = new AtomicBoolean();
    IllegalStateException helperFailure = new IllegalStateException("helper");
    assertSame(helperFailure, assertThrows(IllegalStateException.class,
        () -> TwoThreads.run(() -> firstRan.set(true), () -> {
          throw helperFailure;
        })));
    assertTrue(firstRan.get());

    AtomicBoolean secondEnded = new AtomicBoolean();
    IllegalArgumentException callerFailure = new IllegalArgumentException("caller");
    assertSame(callerFailure, assertThrows(IllegalArgumentException.class,
        () -> TwoThreads.run(() -> {
          throw callerFailure;
        }, () -> {
          sleep(50);
          secondEnded.set(true);
        })));
    assertTrue(secondEnded.get(), "the caller returned while the helper still wrote");
    // and the helpers still work afterwards
    int[] after = new int[1];
    TwoThreads.run(() -> { }, () -> after[0] = 7);
    assertEquals(7, after[0]);
  }

  @Test
  void aHelperSlowerThanTheSpinIsWaitedFor() {
    int[] out = new int[1];
    TwoThreads.run(() -> { }, () -> {
      sleep(30); // far past the spin: the caller parks and the helper must wake it
      out[0] = 1;
    });
    assertEquals(1, out[0]);
  }

  @Test
  void concurrentCallersKeepTheirWorkApart() throws Exception {
    int callers = 4;
    long[][] sums = new long[callers][2];
    List<Thread> threads = new ArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int c = 0; c < callers; c++) {
      long[] mine = sums[c];
      Thread t = new Thread(() -> {
        for (int i = 1; i <= 5_000; i++) {
          int v = i;
          TwoThreads.run(() -> mine[0] += v, () -> mine[1] += v);
        }
      });
      t.setUncaughtExceptionHandler((th, e) -> failure.set(e));
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(null, failure.get());
    for (long[] s : sums) {
      assertEquals(5_000L * 5_001 / 2, s[0]);
      assertEquals(5_000L * 5_001 / 2, s[1]);
    }
  }

  @Test
  void aJobThatLeavesItsThreadInterruptedNeitherLeaksTheFlagNorSpinsTheHelper() {
    AtomicReference<Thread> helper = new AtomicReference<>();
    TwoThreads.run(() -> { }, () -> {
      helper.set(Thread.currentThread());
      Thread.currentThread().interrupt(); // e.g. a library that restores an interrupt it caught
    });
    Thread h = helper.get();
    sleep(100); // far past the helper's spin: it should now be parked
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpu0 = mx.getThreadCpuTime(h.getId());
    sleep(200);
    long idleCpuMillis = (mx.getThreadCpuTime(h.getId()) - cpu0) / 1_000_000;
    AtomicBoolean reused = new AtomicBoolean();
    AtomicBoolean interruptedAtStart = new AtomicBoolean();
    for (int i = 0; i < 1_000 && !reused.get(); i++) {
      TwoThreads.run(() -> { }, () -> {
        if (Thread.currentThread() == h) {
          reused.set(true);
          interruptedAtStart.set(Thread.currentThread().isInterrupted());
        }
      });
    }
    assertTrue(reused.get());
    assertFalse(interruptedAtStart.get(), "an earlier job's interrupt reached a later job");
    assertTrue(idleCpuMillis < 20, "an idle helper burnt " + idleCpuMillis + " ms of 200");
  }

  @Test
  void aLoneCallerGetsTheHelperThatJustFinishedNotAParkedOne() throws Exception {
    // two callers at once leave (at least) two helpers idle
    CyclicBarrier both = new CyclicBarrier(2);
    Runnable caller = () -> TwoThreads.run(() -> {
      try {
        both.await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, () -> { });
    Thread other = new Thread(caller);
    other.start();
    caller.run();
    other.join();
    // one caller now: the helper it last used is the one still spinning; the others are parked
    Set<Thread> used = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      TwoThreads.run(() -> { }, () -> used.add(Thread.currentThread()));
    }
    assertEquals(1, used.size(), "a lone caller went round " + used.size() + " helpers");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
