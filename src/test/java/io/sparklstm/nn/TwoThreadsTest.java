package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
