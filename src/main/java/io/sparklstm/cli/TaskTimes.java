package io.sparklstm.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * The training rounds' tasks as Spark's listener bus reports them: for each round (a job that
 * SparkTrainer describes as "epoch E, round R/RS"), the tasks' summed run time and the bytes of
 * their results (what reaches the driver). The round records carry only the slowest task; on
 * local[cores], N tasks run in turn, so the cost model needs their sum.
 */
final class TaskTimes extends SparkListener {
  /**
   * One round's tasks: summed executor run seconds, result bytes, task count, and the summed
   * seconds each task spent outside its run on the executor (deserialising the task, serialising
   * its result).
   */
  record Round(String description, double taskSeconds, long resultBytes, int tasks,
      double overheadSeconds) {}

  /** Jobs described with this prefix are recorded too: the cost model's probe (CostFit). */
  static final String PROBE = "cost probe";

  private final Map<Integer, String> stages = new ConcurrentHashMap<>();
  private final Map<String, Round> rounds = new LinkedHashMap<>();

  static TaskTimes register(JavaSparkContext sc) {
    TaskTimes t = new TaskTimes();
    sc.sc().addSparkListener(t);
    return t;
  }

  /** The description SparkTrainer gives round {@code round} (0-based) of {@code epoch}. */
  static String description(int epoch, int round, int rounds) {
    return String.format("epoch %d, round %d/%d", epoch + 1, round + 1, rounds);
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted e) {
    String d = e.properties() == null ? null : e.properties().getProperty("spark.job.description");
    if (d != null && (d.startsWith("epoch ") || d.startsWith(PROBE))) {
      stages.put(e.stageInfo().stageId(), d);
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
    String d = stages.get(e.stageId());
    TaskMetrics m = e.taskMetrics();
    if (d != null && m != null) {
      Round r = rounds.getOrDefault(d, new Round(d, 0, 0, 0, 0));
      rounds.put(d, new Round(d, r.taskSeconds() + m.executorRunTime() / 1e3,
          r.resultBytes() + m.resultSize(), r.tasks() + 1, r.overheadSeconds()
          + (m.executorDeserializeTime() + m.resultSerializationTime()) / 1e3));
    }
  }

  /** Forgets the rounds so far (a new run starts). */
  synchronized void reset() {
    rounds.clear();
    stages.clear();
  }

  /** The rounds since {@link #reset}, once the listener bus has delivered every event. */
  List<Round> rounds(JavaSparkContext sc) {
    try {
      sc.sc().listenerBus().waitUntilEmpty(); // 10 s at most
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not deliver the rounds' task "
          + "events within 10 s", e);
    }
    synchronized (this) {
      return new ArrayList<>(rounds.values());
    }
  }
}
