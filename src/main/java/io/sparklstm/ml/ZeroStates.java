package io.sparklstm.ml;

import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.RecurrentState;

/** Zero recurrent states for a network, one per batch size, allocated on first use. */
final class ZeroStates {
  private final LstmNetwork net;
  private final RecurrentState[] bySize;

  ZeroStates(LstmNetwork net) {
    this.net = net;
    this.bySize = new RecurrentState[net.maxBatch() + 1];
  }

  /** A zero state for {@code size} sequences (the same object each time, reset). */
  RecurrentState of(int size) {
    if (bySize[size] == null) {
      bySize[size] = RecurrentState.zeros(net, size);
    }
    bySize[size].reset();
    return bySize[size];
  }
}
