package io.sparklstm.spark;

import io.sparklstm.nn.Blas;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Objects with large native buffers (training workers, scoring networks) pooled per JVM, so that
 * their buffers are allocated once per concurrently running task, not per partition, round or
 * row. A task borrows one that fits and gives it back when it completes ({@link #atTaskEnd}).
 *
 * @param <V> what is pooled
 */
public final class TaskPool<V> {
  private final ConcurrentLinkedQueue<V> idle = new ConcurrentLinkedQueue<>();

  /**
   * An idle object that {@code fits} (idle ones that do not are dropped), or a new one; BLAS
   * runs on the task's {@code spark.task.cpus} threads (one outside a task).
   */
  public V borrow(Predicate<V> fits, Supplier<V> create) {
    TaskContext task = TaskContext.get();
    Blas.setThreads(task == null ? 1 : Math.max(1, task.cpus()));
    for (V v = idle.poll(); v != null; v = idle.poll()) {
      if (fits.test(v)) {
        return v;
      }
    }
    return create.get();
  }

  public void giveBack(V value) {
    idle.offer(value);
  }

  /** Runs {@code release} when the current Spark task completes; nothing outside a task. */
  public static void atTaskEnd(Runnable release) {
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) ctx -> release.run());
    }
  }
}
