package io.sparklstm.nn;

/**
 * The (h, c) of every layer for B sequences: the state a window starts from and, after the
 * window, the state it ends in. Truncated BPTT carries one of these from window to window.
 */
public final class RecurrentState {
  final Vec[] h;
  final Vec[] c;
  private final int batch;

  public RecurrentState(Precision precision, int layers, int batch, int hidden) {
    this.batch = batch;
    this.h = new Vec[layers];
    this.c = new Vec[layers];
    for (int l = 0; l < layers; l++) {
      h[l] = Vec.allocate(precision, batch * hidden);
      c[l] = Vec.allocate(precision, batch * hidden);
    }
  }

  public static RecurrentState zeros(LstmNetwork net, int batch) {
    ModelSpec s = net.spec();
    return new RecurrentState(net.precision(), s.layers(), batch, s.hiddenSize());
  }

  public int batch() {
    return batch;
  }

  public int layers() {
    return h.length;
  }

  /** h of layer {@code l}, [B x H] row-major. */
  public Vec h(int l) {
    return h[l];
  }

  /** c of layer {@code l}, [B x H] row-major. */
  public Vec c(int l) {
    return c[l];
  }

  public void reset() {
    for (int l = 0; l < h.length; l++) {
      h[l].fill(0);
      c[l].fill(0);
    }
  }
}
