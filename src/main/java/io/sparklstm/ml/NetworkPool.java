package io.sparklstm.ml;

import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.Precision;
import io.sparklstm.spark.TaskPool;

/**
 * Inference networks pooled per JVM: a network's buffers are allocated once per concurrently
 * running task, not per partition or per row ({@link TaskPool}, as for training workers). A
 * task leases one loaded with the model's parameters and returns it when the task completes.
 */
final class NetworkPool {
  /** Idle networks of this JVM; leasing a shape drops idle ones of other shapes. */
  private static final TaskPool<LstmNetwork> POOL = new TaskPool<>();

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
        POOL.giveBack(net);
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
    LstmNetwork net = POOL.borrow(n -> n.spec().equals(spec) && n.maxBatch() == batch
        && n.maxSteps() == steps, () -> new LstmNetwork(spec, Precision.FLOAT, batch, steps));
    net.params().setAll(params);
    Lease lease = new Lease(net);
    TaskPool.atTaskEnd(lease::close);
    return lease;
  }
}
