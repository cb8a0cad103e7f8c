package io.sparklstm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklstm.data.TokenStreams;
import io.sparklstm.nn.Batch;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.Precision;
import io.sparklstm.nn.RecurrentState;
import io.sparklstm.nn.Rng;
import org.junit.jupiter.api.Test;

/** The stream windowing of truncated BPTT against full BPTT over whole streams. */
class TruncatedBpttTest {

  /** One window covering the whole stream is exactly full BPTT over that stream. */
  @Test
  void oneWindowOfTheWholeStreamIsFullBptt() {
    int streams = 3;
    int length = 12;
    int[] text = randomText(streams * length + 1, 6, 1);
    LstmNetwork net = new LstmNetwork(ModelSpec.languageModel(6, 5, 2), Precision.DOUBLE,
        streams, length);
    net.initialize(2);

    TokenStreams tbptt = new TokenStreams(text, 0, text.length, streams, length);
    assertEquals(1, tbptt.windows());
    LossTotals a = new LossTotals();
    net.forwardBackward(tbptt.window(0), RecurrentState.zeros(net, streams), a);
    double[] windowed = net.grads().toDoubleArray();

    // Full BPTT built by hand: stream b is text[b*L .. b*L+L], time-major.
    int[] inputs = new int[streams * length];
    int[] targets = new int[streams * length];
    for (int t = 0; t < length; t++) {
      for (int b = 0; b < streams; b++) {
        inputs[t * streams + b] = text[b * length + t];
        targets[t * streams + b] = text[b * length + t + 1];
      }
    }
    LossTotals full = new LossTotals();
    net.forwardBackward(new Batch(streams, length, inputs, null, targets, null),
        RecurrentState.zeros(net, streams), full);
    assertEquals(full.lossSum(), a.lossSum(), 0.0);
    assertArrayEquals(net.grads().toDoubleArray(), windowed, 0.0);
  }

  /** Windows of T/2 with carried state see the same losses as windows of T. */
  @Test
  void halfWindowsWithCarriedStateGiveTheSameLoss() {
    int streams = 4;
    int[] text = randomText(4 * 40 + 1, 5, 3);
    LstmNetwork net = new LstmNetwork(ModelSpec.languageModel(5, 6, 2), Precision.DOUBLE,
        streams, 20);
    net.initialize(8);
    double[] losses = new double[2];
    int[] windows = {20, 10};
    for (int i = 0; i < 2; i++) {
      TokenStreams s = new TokenStreams(text, 0, text.length, streams, windows[i]);
      RecurrentState state = RecurrentState.zeros(net, streams);
      LossTotals totals = new LossTotals();
      for (int w = 0; w < s.windows(); w++) {
        net.forward(s.window(w), state, totals);
      }
      losses[i] = totals.lossSum();
    }
    assertEquals(losses[0], losses[1], 1e-12 * losses[0]);
  }

  private static int[] randomText(int n, int vocab, long seed) {
    Rng rng = new Rng(seed);
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = rng.nextInt(vocab);
    }
    return t;
  }
}
