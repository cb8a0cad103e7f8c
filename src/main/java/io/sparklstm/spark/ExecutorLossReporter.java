package io.sparklstm.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;

/**
 * Prints one console line when the driver loses an executor (its worker died, its host was cut
 * off): which executor, on which host, and Spark's reason. Training survives it, since Spark
 * reruns the lost tasks and the result stays the same bits, but the run slows down and whoever
 * watches it should know where to look. Registered through {@code spark.extraListeners}, so it
 * sees every executor from the first. Executors that go away after the application has ended
 * are not losses and print nothing.
 */
public final class ExecutorLossReporter extends SparkListener {
  private final Map<String, String> hosts = new ConcurrentHashMap<>();
  private volatile boolean ended;

  @Override
  public void onExecutorAdded(SparkListenerExecutorAdded added) {
    hosts.put(added.executorId(), added.executorInfo().executorHost());
  }

  @Override
  public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
    String host = hosts.remove(removed.executorId());
    if (!ended) {
      System.out.println(message(removed.executorId(), host, removed.reason()));
    }
  }

  @Override
  public void onApplicationEnd(SparkListenerApplicationEnd end) {
    ended = true;
  }

  static String message(String executor, String host, String reason) {
    return "executor " + executor + " on " + (host == null ? "an unknown host" : host)
        + " lost: " + reason + "; its tasks are rerun";
  }
}
