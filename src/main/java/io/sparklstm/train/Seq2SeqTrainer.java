package io.sparklstm.train;

import io.sparklstm.data.Pair;
import io.sparklstm.data.PairBatcher;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.Seq2SeqBatch;
import io.sparklstm.nn.Seq2SeqDecoder;
import io.sparklstm.nn.Seq2SeqNetwork;
import io.sparklstm.optim.Optimizer;
import java.util.List;

/**
 * Sequence to sequence on one machine, teacher forced: each epoch visits the pairs in a fresh
 * order ({@link ClassifierTrainer#epochOrder}, so one Spark partition trains exactly like this)
 * in padded minibatches, one update per minibatch.
 */
public final class Seq2SeqTrainer {
  private final Seq2SeqNetwork net;
  private final Optimizer optimizer;
  private final int batchSize;
  private final long seed;
  private final PairBatcher batcher;

  public Seq2SeqTrainer(Seq2SeqNetwork net, Optimizer optimizer, int batchSize, long seed) {
    if (batchSize < 1 || batchSize > net.maxBatch()) {
      throw new IllegalArgumentException("batch size " + batchSize + " outside 1.."
          + net.maxBatch());
    }
    this.net = net;
    this.optimizer = optimizer;
    this.batchSize = batchSize;
    this.seed = seed;
    this.batcher = new PairBatcher(batchSize, net.maxSource(), net.maxTarget());
  }

  /** One epoch over {@code train}; the validation loss (teacher forced) when it is not null. */
  public EpochReport epoch(List<Pair> train, List<Pair> validation, int epoch) {
    long start = System.nanoTime();
    LossTotals totals = new LossTotals();
    int[] order = ClassifierTrainer.epochOrder(train.size(), seed, epoch, 0);
    train(train, order, 0, order.length, epoch, 0, totals);
    double seconds = (System.nanoTime() - start) / 1e9;
    LossTotals val = validation == null ? null : loss(validation);
    return new EpochReport(epoch, totals, val, seconds, train.size());
  }

  /**
   * Trains on {@code data[order[from..to)]} in consecutive minibatches of the batch size; the
   * minibatch starting at {@code i} of shard {@code shard}'s epoch {@code epoch} draws its dropout
   * masks from those three numbers and the seed (as {@link ClassifierTrainer#train} does).
   */
  public void train(List<Pair> data, int[] order, int from, int to, int epoch, int shard,
      LossTotals totals) {
    for (int i = from; i < to; i += batchSize) {
      Seq2SeqBatch batch = batcher.pack(data, order, i, Math.min(to, i + batchSize));
      net.forwardBackward(batch, totals,
          net.spec().dropout().stepSeed(seed, epoch, shard, i));
      optimizer.step(net.params(), net.grads());
    }
  }

  /** The batcher of this trainer's batch size and the network's limits. */
  public PairBatcher batcher() {
    return batcher;
  }

  /** The teacher-forced loss and token accuracy over {@code data}. */
  public LossTotals loss(List<Pair> data) {
    return loss(net, batcher, batchSize, data);
  }

  public static LossTotals loss(Seq2SeqNetwork net, PairBatcher batcher, int batchSize,
      List<Pair> data) {
    LossTotals totals = new LossTotals();
    int[] order = new int[data.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int i = 0; i < order.length; i += batchSize) {
      net.forward(batcher.pack(data, order, i, Math.min(order.length, i + batchSize)), totals);
    }
    return totals;
  }

  /**
   * Decodes every source of {@code data} (greedy when {@code beam <= 1}) and compares with the
   * targets.
   */
  public static SequenceMetrics decodeAndScore(Seq2SeqDecoder decoder, List<Pair> data,
      int beam, double alpha, int maxLength) {
    int[][] sources = new int[data.size()][];
    for (int i = 0; i < sources.length; i++) {
      sources[i] = data.get(i).source();
    }
    int[][] out = beam <= 1 ? decoder.greedy(sources, maxLength)
        : decoder.beam(sources, beam, alpha, maxLength);
    SequenceMetrics m = new SequenceMetrics();
    for (int i = 0; i < out.length; i++) {
      m.record(data.get(i).target(), out[i]);
    }
    return m;
  }
}
