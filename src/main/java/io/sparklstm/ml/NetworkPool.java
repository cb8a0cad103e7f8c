package io.sparklstm.ml;

import io.sparklstm.nn.Blas;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.Precision;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Inference networks pooled per JVM: a network's buffers are allocated once per concurrently
 * running task, not per partition or per row (as {@code ShardWorker} pools training workers). A
 * task leases one loaded with the model's parameters and returns it when the task completes.
 */
final class NetworkPool {
  /** Idle networks of this JVM; leasing a shape drops idle ones of other shapes. */
  private static final ConcurrentLinkedQueue<LstmNetwork> IDLE = new ConcurrentLinkedQueue<>();

  private NetworkPool() {}

  /** A network, its buffers sized for {@code batch x steps}, given back by {@link #close}. */
  static final class Lease implements AutoCloseable {
    private LstmNetwork net;

    private Lease(LstmNetwork net) {
      this.net = net;
    }

    LstmNetwork network() {
      return net;
    }

    @Override
    public synchronized void close() {
      if (net != null) {
        IDLE.offer(net);
        net = null;
      }
    }
  }

  /**
   * A network for {@code spec} holding {@code params}. Inside a Spark task it goes back to the
   * pool when the task completes (its rows may stream out after this call returns); elsewhere
   * the caller closes the lease.
   */
  static Lease lease(ModelSpec spec, float[] params, int batch, int steps) {
    TaskContext task = TaskContext.get();
    Blas.setThreads(task == null ? 1 : Math.max(1, task.cpus()));
    LstmNetwork net = IDLE.poll();
    while (net != null && !(net.spec().equals(spec) && net.maxBatch() == batch
        && net.maxSteps() == steps)) {
      net = IDLE.poll();
    }
    if (net == null) {
      net = new LstmNetwork(spec, Precision.FLOAT, batch, steps);
    }
    net.params().setAll(params);
    Lease lease = new Lease(net);
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) ctx -> lease.close());
    }
    return lease;
  }
}
