package io.sparklstm.spark;

import io.sparklstm.data.TokenStreams;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.Precision;
import io.sparklstm.nn.RecurrentState;
import io.sparklstm.optim.Optimizer;
import io.sparklstm.train.ClassifierTrainer;
import io.sparklstm.train.LanguageModelTrainer;
import io.sparklstm.train.ModelSnapshot;

/**
 * The executor side of a round: loads the broadcast model into a pooled network (buffers are
 * allocated once per concurrently running task, not per round or per thread), trains this
 * partition's slice
 * and returns its weighted contribution. Everything a task computes follows from the broadcast,
 * its shard, the seed, the epoch, the round and its partition index, so a retried or
 * re-scheduled task returns the same bits.
 */
final class ShardWorker {
  /** Idle workers of this JVM; a task borrows one and returns it when the task completes. */
  private static final TaskPool<ShardWorker> POOL = new TaskPool<>();

  private final SparkTrainingConfig config;
  private final LstmNetwork net;
  private final Optimizer optimizer;

  private ShardWorker(SparkTrainingConfig config) {
    this.config = config;
    MemoryBudget.checkTask(config);
    this.net = new LstmNetwork(config.spec(), Precision.FLOAT, config.batchSize(),
        config.window());
    this.optimizer = config.optimizer().build(net.layout(), Precision.FLOAT);
  }

  /** This thread's worker for {@code config}, loaded with {@code snapshot}, to evaluate. */
  static ShardWorker load(SparkTrainingConfig config, ModelSnapshot snapshot) {
    return load(config, snapshot, 1);
  }

  /**
   * This thread's worker for {@code config}, loaded with {@code snapshot}, training at the
   * scheduled learning rate times {@code rateScale}.
   */
  static ShardWorker load(SparkTrainingConfig config, ModelSnapshot snapshot, double rateScale) {
    ShardWorker w = POOL.borrow(x -> x.config.equals(config), () -> new ShardWorker(config));
    TaskPool.atTaskEnd(() -> POOL.giveBack(w));
    w.net.params().setAll(snapshot.params());
    w.optimizer.state().setAll(snapshot.optimizerState());
    w.optimizer.setStepCount(snapshot.optimizerSteps());
    w.optimizer.setRateScale(rateScale);
    return w;
  }

  LstmNetwork network() {
    return net;
  }

  /** Trains minibatches {@code [first, first + count)} of this shard's order for the epoch. */
  RoundResult classifierRound(ExampleShard shard, int partition, int epoch, int firstBatch,
      int batches) {
    long start = System.nanoTime();
    int[] order = ClassifierTrainer.epochOrder(shard.size(), config.seed(), epoch, partition);
    int from = Math.min(shard.size(), firstBatch * config.batchSize());
    int to = Math.min(shard.size(), from + batches * config.batchSize());
    LossTotals totals = new LossTotals();
    new ClassifierTrainer(net, optimizer, config.batchSize(), config.seed())
        .train(shard, order, from, to, epoch, partition, totals);
    return result(to - from, totals, start);
  }

  /**
   * Trains windows {@code [first, first + count)} of this shard's streams, starting from
   * {@code carried} (null: zero state) and returning the state it ends in.
   */
  RoundResult languageModelRound(int[] shard, int partition, int epoch, int firstWindow,
      int windows, float[] carried) {
    long start = System.nanoTime();
    TokenStreams streams = new TokenStreams(shard, 0, shard.length, config.batchSize(),
        config.window());
    LanguageModelTrainer trainer = new LanguageModelTrainer(net, optimizer, config.batchSize(),
        config.seed());
    StateCodec.read(carried, trainer.state());
    int from = Math.min(streams.windows(), firstWindow);
    int to = Math.min(streams.windows(), from + windows);
    LossTotals totals = new LossTotals();
    trainer.train(streams, from, to, epoch, partition, totals);
    return result(totals.count(), totals, start)
        .withCarriedState(partition, StateCodec.write(trainer.state()));
  }

  private RoundResult result(long weight, LossTotals totals, long startNanos) {
    return RoundResult.of(net.params(), optimizer.state(), weight, optimizer.stepCount(), totals,
        (System.nanoTime() - startNanos) / 1e9);
  }

  /** (h, c) of every layer to and from one float array, layer by layer. */
  static final class StateCodec {
    private StateCodec() {}

    static float[] write(RecurrentState s) {
      int n = s.h(0).size();
      float[] out = new float[2 * s.layers() * n];
      for (int l = 0; l < s.layers(); l++) {
        System.arraycopy(s.h(l).toFloatArray(), 0, out, 2 * l * n, n);
        System.arraycopy(s.c(l).toFloatArray(), 0, out, (2 * l + 1) * n, n);
      }
      return out;
    }

    static void read(float[] from, RecurrentState s) {
      if (from == null) {
        s.reset();
        return;
      }
      int n = s.h(0).size();
      for (int l = 0; l < s.layers(); l++) {
        for (int i = 0; i < n; i++) {
          s.h(l).set(i, from[2 * l * n + i]);
          s.c(l).set(i, from[(2 * l + 1) * n + i]);
        }
      }
    }
  }
}
