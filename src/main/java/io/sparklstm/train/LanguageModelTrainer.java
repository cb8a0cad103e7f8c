package io.sparklstm.train;

import io.sparklstm.data.TokenStreams;
import io.sparklstm.nn.Batch;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.RecurrentState;
import io.sparklstm.optim.Optimizer;

/**
 * Language modelling with truncated BPTT: the text is read as B contiguous streams in windows of
 * T steps; the state at the end of a window starts the next one, the gradient stops at the
 * window's start. Each epoch starts from a zero state.
 */
public final class LanguageModelTrainer {
  private final LstmNetwork net;
  private final Optimizer optimizer;
  private final RecurrentState state;
  private final long seed;

  /** A trainer whose dropout masks (if the model has dropout) follow from seed 0. */
  public LanguageModelTrainer(LstmNetwork net, Optimizer optimizer, int streams) {
    this(net, optimizer, streams, 0);
  }

  public LanguageModelTrainer(LstmNetwork net, Optimizer optimizer, int streams, long seed) {
    if (net.spec().bidirectional()) {
      throw new IllegalArgumentException("a language model cannot be bidirectional: it "
          + "predicts each token from the ones before it");
    }
    this.net = net;
    this.optimizer = optimizer;
    this.state = RecurrentState.zeros(net, streams);
    this.seed = seed;
  }

  public EpochReport epoch(TokenStreams train, TokenStreams validation, int epoch) {
    long start = System.nanoTime();
    LossTotals totals = new LossTotals();
    state.reset();
    train(train, 0, train.windows(), epoch, 0, totals);
    double seconds = (System.nanoTime() - start) / 1e9;
    LossTotals val = validation == null ? null : evaluate(validation);
    return new EpochReport(epoch, totals, val, seconds, totals.count());
  }

  /**
   * Trains on windows {@code [from, to)}, carrying {@link #state()} from window to window; window
   * {@code w} of shard {@code shard}'s epoch {@code epoch} draws its dropout masks from those
   * three numbers and the seed.
   */
  public void train(TokenStreams streams, int from, int to, int epoch, int shard,
      LossTotals totals) {
    for (int w = from; w < to; w++) {
      net.forwardBackward(streams.window(w), state, totals,
          net.spec().dropout().stepSeed(seed, epoch, shard, w));
      optimizer.step(net.params(), net.grads());
    }
  }

  /** Mean loss over every window of {@code streams}, from a zero state, forward only. */
  public LossTotals evaluate(TokenStreams streams) {
    LossTotals totals = new LossTotals();
    RecurrentState s = RecurrentState.zeros(net, streams.streams());
    for (int w = 0; w < streams.windows(); w++) {
      Batch window = streams.window(w);
      net.forward(window, s, totals);
    }
    return totals;
  }

  /** The carried state of the training streams. */
  public RecurrentState state() {
    return state;
  }
}
