package io.sparklstm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.cluster.ExecutorInfo;
import org.junit.jupiter.api.Test;
import scala.Option;

/**
 * The driver's console line for a lost executor, fed Spark's own events in the order the
 * listener bus delivers them (jobs/netns-cluster-test sees it for a killed and a cut-off
 * worker on a real cluster).
 */
class ExecutorLossReporterTest {
  @Test
  void namesTheExecutorItsHostAndTheReasonUntilTheApplicationEnds() {
    ExecutorLossReporter r = new ExecutorLossReporter();
    String out = console(() -> {
      r.onExecutorAdded(new SparkListenerExecutorAdded(1, "0", info("10.231.0.2")));
      r.onExecutorAdded(new SparkListenerExecutorAdded(2, "1", info("10.231.0.3")));
      r.onExecutorRemoved(new SparkListenerExecutorRemoved(3, "1",
          "worker lost: Not receiving heartbeat for 10 seconds"));
      r.onExecutorRemoved(new SparkListenerExecutorRemoved(4, "7", "never added"));
      r.onApplicationEnd(new SparkListenerApplicationEnd(5, Option.empty()));
      r.onExecutorRemoved(new SparkListenerExecutorRemoved(6, "0", "stopped with the job"));
    });
    assertEquals("executor 1 on 10.231.0.3 lost: worker lost: Not receiving heartbeat for 10 "
        + "seconds; its tasks are rerun\n"
        + "executor 7 on an unknown host lost: never added; its tasks are rerun\n", out);
  }

  private static ExecutorInfo info(String host) {
    return new ExecutorInfo(host, 1, scala.collection.immutable.Map$.MODULE$.empty());
  }

  private static String console(Runnable r) {
    PrintStream out = System.out;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    System.setOut(new PrintStream(b, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(out);
    }
    return b.toString(StandardCharsets.UTF_8);
  }
}
