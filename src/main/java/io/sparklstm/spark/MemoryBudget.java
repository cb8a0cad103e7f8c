package io.sparklstm.spark;

import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ParamLayout;
import io.sparklstm.nn.Precision;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;

/**
 * Checks, before anything is allocated, that a model can fit the JVM that is to hold it, so that
 * a model too large fails at once with one line naming the settings to change, instead of an
 * OutOfMemoryError after minutes of paging. The figures are lower bounds (the main buffers
 * only): a run they reject cannot succeed, a run they pass may still run short, which
 * {@code Main} reports as one line too.
 *
 * <p>The limits are the JVM's: its heap ({@code -Xmx}, {@code Runtime.maxMemory()}) and the
 * process size up to which JavaCPP lets ND4J allocate native buffers
 * ({@code Pointer.maxPhysicalBytes()}, by default a multiple of the heap).
 */
public final class MemoryBudget {
  private static final String SCRIPTS = "the jobs/ scripts without SPARK_HOME take "
      + "JAVA_OPTS=-Xmx... instead";

  /** How to give the driver more memory. */
  public static final String DRIVER_MEMORY = "--driver-memory (" + SCRIPTS + ")";

  /** How to give a job more memory, for the messages of every memory check. */
  public static final String RAISE = "give the job more memory: --driver-memory (local mode runs"
      + " the tasks in the driver; " + SCRIPTS + ") or spark.executor.memory for a cluster's "
      + "executors";

  private MemoryBudget() {}

  /**
   * Native bytes of one training task: the network for batch x window (parameters, gradients,
   * activations), the optimizer state and the carried recurrent state. Estimates are doubles:
   * absurd settings must give an absurd figure, not an overflow.
   */
  public static double taskNativeBytes(SparkTrainingConfig c) {
    ModelSpec s = c.spec();
    double state = 2.0 * s.layers() * c.batchSize() * s.hiddenSize();
    double optimizer = (double) c.optimizer().rule().stateSlots() * ParamLayout.count(s);
    return LstmNetwork.bytesNeeded(s, Precision.FLOAT, c.batchSize(), c.window())
        + (optimizer + state) * Float.BYTES;
  }

  /**
   * Heap bytes of the driver's copies of the model: parameters and optimizer state twice in
   * float (the state a round starts from, the averages it ends with) and once in double (the
   * round's sums), and the block-momentum velocity in double.
   */
  public static double driverHeapBytes(SparkTrainingConfig c) {
    return 4 * modelFloatBytes(c) + (double) ParamLayout.count(c.spec()) * Double.BYTES;
  }

  /**
   * Fails unless this JVM, as the driver, can hold the model, and, when {@code localTasks} > 0
   * (local mode), that many training tasks besides.
   */
  public static void checkDriver(SparkTrainingConfig c, int localTasks) {
    double heap = driverHeapBytes(c) + localTasks * modelFloatBytes(c);
    double nativeBytes = localTasks * taskNativeBytes(c)
        + LstmNetwork.bytesNeeded(c.spec(), Precision.FLOAT, 1, 1);
    String who = localTasks > 0 ? "the driver and " + localTasks + " local task"
        + (localTasks == 1 ? "" : "s") : "the driver";
    check(c, who, heap, nativeBytes);
  }

  /** Fails unless this JVM (an executor) has room for one more training task's buffers. */
  static void checkTask(SparkTrainingConfig c) {
    check(c, "a training task", modelFloatBytes(c), taskNativeBytes(c));
  }

  /** Parameters and optimizer state in float: what a task sends back. */
  private static double modelFloatBytes(SparkTrainingConfig c) {
    return (double) ParamLayout.count(c.spec()) * (1 + c.optimizer().rule().stateSlots())
        * Float.BYTES;
  }

  private static void check(SparkTrainingConfig c, String who, double heap, double nativeBytes) {
    long heapLimit = Runtime.getRuntime().maxMemory();
    long maxPhysical = Pointer.maxPhysicalBytes();
    double nativeRoom = maxPhysical <= 0 ? Double.POSITIVE_INFINITY
        : maxPhysical - Pointer.physicalBytes();
    if (heap <= heapLimit && nativeBytes <= nativeRoom) {
      return;
    }
    ModelSpec s = c.spec();
    // The setting the window comes from: a TBPTT window, or the longest sequence.
    String window = s.head() == ModelSpec.HeadKind.EVERY_STEP ? "train.window = "
        : "text.max.length = ";
    throw new IllegalArgumentException(String.format(Locale.ROOT, "the model does not fit: %s "
        + "need at least %s of heap (%,d parameters for model.hidden = %d and model.layers = %d,"
        + " with their optimizer state, in float and double copies) and %s of native memory "
        + "(the same with gradients, and activations of train.batch = %d x %s%d, per task), but "
        + "this JVM has %s of heap and %s of native memory; lower those settings or %s", who,
        size(heap), ParamLayout.count(s), s.hiddenSize(), s.layers(), size(nativeBytes),
        c.batchSize(), window, c.window(), size(heapLimit), size(Math.max(0, nativeRoom)),
        RAISE));
  }

  /** A byte count for people: 1.5 GiB, 640.0 MiB. */
  public static String size(double bytes) {
    double gib = bytes / (1L << 30);
    return gib >= 1 ? String.format(Locale.ROOT, "%,.1f GiB", gib)
        : String.format(Locale.ROOT, "%.1f MiB", bytes / (1L << 20));
  }
}
