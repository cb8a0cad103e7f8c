package io.sparklstm.train;

import io.sparklstm.data.Example;
import io.sparklstm.data.PaddedBatcher;
import io.sparklstm.data.Sequences;
import io.sparklstm.nn.Batch;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.RecurrentState;
import io.sparklstm.nn.Rng;
import io.sparklstm.optim.Optimizer;
import java.util.List;

/**
 * Sequence classification, or tagging (a network with an every-step head over tagged
 * sequences), on one machine: each epoch visits the examples in a fresh order (drawn from the
 * seed and the epoch number) in padded minibatches, one update per minibatch.
 */
public final class ClassifierTrainer {
  private final LstmNetwork net;
  private final Optimizer optimizer;
  private final int batchSize;
  private final long seed;
  private final PaddedBatcher batcher;
  private final RecurrentState[] statesBySize;
  /** Every step has a target (tagging): its tag; else one label per sequence. */
  private final boolean everyStep;

  public ClassifierTrainer(LstmNetwork net, Optimizer optimizer, int batchSize, long seed) {
    if (batchSize < 1 || batchSize > net.maxBatch()) {
      throw new IllegalArgumentException("batch size " + batchSize + " outside 1.." + net.maxBatch());
    }
    this.net = net;
    this.optimizer = optimizer;
    this.batchSize = batchSize;
    this.seed = seed;
    ModelSpec spec = net.spec();
    int width = spec.input() == ModelSpec.InputKind.DENSE ? spec.inputSize() : 0;
    this.everyStep = spec.head() == ModelSpec.HeadKind.EVERY_STEP;
    this.batcher = new PaddedBatcher(batchSize, net.maxSteps(), width, everyStep);
    this.statesBySize = new RecurrentState[batchSize + 1];
  }

  /**
   * The visiting order of shard {@code shard}'s {@code n} examples in epoch {@code epoch}: a
   * permutation of {@code 0..n-1}. A single process is shard 0, so one Spark partition trains
   * exactly like this class.
   */
  public static int[] epochOrder(int n, long seed, int epoch, int shard) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Rng.derive(seed, 0x5EED, epoch, shard).shuffle(order);
    return order;
  }

  public EpochReport epoch(List<Example> train, List<Example> validation, int epoch) {
    long start = System.nanoTime();
    LossTotals totals = new LossTotals();
    int[] order = epochOrder(train.size(), seed, epoch, 0);
    train(Sequences.of(train), order, 0, order.length, epoch, 0, totals);
    double seconds = (System.nanoTime() - start) / 1e9;
    LossTotals val = validation == null ? null : evaluate(validation).loss();
    return new EpochReport(epoch, totals, val, seconds, train.size());
  }

  /**
   * Trains on {@code data[order[from..to)]} in consecutive minibatches of the batch size; the
   * minibatch starting at {@code i} of shard {@code shard}'s epoch {@code epoch} draws its dropout
   * masks from those three numbers and the seed.
   */
  public void train(Sequences data, int[] order, int from, int to, int epoch, int shard,
      LossTotals totals) {
    for (int i = from; i < to; i += batchSize) {
      int end = Math.min(to, i + batchSize);
      Batch batch = batcher.pack(data, order, i, end);
      net.forwardBackward(batch, freshState(end - i), totals,
          net.spec().dropout().stepSeed(seed, epoch, shard, i));
      optimizer.step(net.params(), net.grads());
    }
  }

  /**
   * Loss, accuracy and the confusion matrix over {@code data} (tagging: over its real tokens),
   * forward only.
   */
  public Evaluation evaluate(List<Example> examples) {
    Sequences data = Sequences.of(examples);
    Evaluation eval = new Evaluation(net.spec().outputSize());
    int[] order = new int[data.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int i = 0; i < order.length; i += batchSize) {
      int end = Math.min(order.length, i + batchSize);
      Batch batch = batcher.pack(data, order, i, end);
      net.forward(batch, freshState(end - i), eval.loss());
      int rows = everyStep ? batch.batch() * batch.steps() : batch.batch();
      for (int r = 0; r < rows; r++) {
        if (batch.isReal(r) || !everyStep) {
          eval.record(batch.targets()[r], net.mostProbable(r));
        }
      }
    }
    return eval;
  }

  private RecurrentState freshState(int size) {
    if (statesBySize[size] == null) {
      statesBySize[size] = RecurrentState.zeros(net, size);
    }
    statesBySize[size].reset();
    return statesBySize[size];
  }
}
