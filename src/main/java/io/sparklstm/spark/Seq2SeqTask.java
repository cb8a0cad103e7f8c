package io.sparklstm.spark;

import io.sparklstm.data.Pair;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.Precision;
import io.sparklstm.nn.Seq2SeqDecoder;
import io.sparklstm.nn.Seq2SeqNetwork;
import io.sparklstm.optim.Optimizer;
import io.sparklstm.train.ClassifierTrainer;
import io.sparklstm.train.HeldOut;
import io.sparklstm.train.ModelSnapshot;
import io.sparklstm.train.Seq2SeqHeldOut;
import io.sparklstm.train.Seq2SeqTrainer;
import io.sparklstm.train.SequenceMetrics;
import io.sparklstm.train.TrainingState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Sequence to sequence: an encoder-decoder trained teacher forced on pairs, sharded and averaged
 * as classification is (pair i to shard i mod N, each shard in a fresh order per epoch, so one
 * partition trains exactly like {@link Seq2SeqTrainer}); held-out pairs are scored by their
 * teacher-forced loss and by decoding them.
 */
public final class Seq2SeqTask extends Task<Seq2SeqData> {
  public static final Seq2SeqTask SEQ2SEQ = new Seq2SeqTask();

  private Seq2SeqTask() {}

  @Override
  public String name() {
    return "seq2seq";
  }

  @Override
  public HeadKind head() {
    return HeadKind.EVERY_STEP;
  }

  @Override
  public <R> R choose(R classification, R languageModel, R tagging, R seq2seq) {
    return seq2seq;
  }

  /** The state before the first round: parameters from the seed, zero optimizer state. */
  public static TrainingState initialState(SparkTrainingConfig config, Seq2SeqData.Setup setup) {
    Seq2SeqNetwork net = new Seq2SeqNetwork(setup.spec(), Precision.FLOAT, 1, 1, 1);
    net.initialize(config.seed());
    int stateSize = config.optimizer().rule().stateSlots() * net.layout().size();
    ModelSnapshot m = new ModelSnapshot(net.params().toFloatArray(), new float[stateSize], 0,
        Map.of());
    return new TrainingState(0, 0, m, new double[m.params().length]);
  }

  @Override
  Shards shard(Seq2SeqData data, SparkTrainingConfig cfg) {
    long[] sizes = Sharding.sizes(data.pairs());
    long count = Arrays.stream(sizes).sum();
    requireFill(count, cfg.partitions(), "pairs");
    JavaRDD<List<Pair>> shards = Sharding.byIndex(data.pairs(), sizes, cfg.partitions())
        .persist(StorageLevel.MEMORY_AND_DISK());
    Seq2SeqData.Setup setup = data.setup();
    return perShard(shards, count, cfg, (shard, p, epoch, first, steps, model, rateScale) ->
        Worker.load(cfg, setup, model, rateScale).round(shard, p, epoch, first, steps));
  }

  @Override
  HeldOut evaluate(JavaSparkContext sc, SparkTrainingConfig cfg, ModelSnapshot model,
      Seq2SeqData data) {
    Broadcast<ModelSnapshot> b = sc.broadcast(model);
    int n = data.pairs().getNumPartitions();
    Seq2SeqData.Setup setup = data.setup();
    Figures sum = PartitionTree.sum(data.pairs().mapPartitionsWithIndex((p, it) -> {
      List<Pair> rows = new ArrayList<>();
      it.forEachRemaining(rows::add);
      Figures f = new Figures(new LossTotals(), new SequenceMetrics());
      if (!rows.isEmpty()) {
        Worker w = Worker.load(cfg, setup, b.value(), 1);
        f.loss.add(Seq2SeqTrainer.loss(w.net, w.trainer.batcher(), cfg.batchSize(), rows));
        f.decoded.add(Seq2SeqTrainer.decodeAndScore(new Seq2SeqDecoder(w.net), rows,
            setup.beam(), setup.alpha(), setup.maxLength()));
      }
      return List.of(PartitionTree.leaf(n, p, f)).iterator();
    }, true), n);
    b.destroy();
    return new Seq2SeqHeldOut(sum.loss, sum.decoded);
  }

  /** Held-out figures as a tree-summable value. */
  record Figures(LossTotals loss, SequenceMetrics decoded)
      implements PartitionTree.Summable<Figures> {
    @Override
    public Figures plus(Figures o) {
      loss.add(o.loss);
      decoded.add(o.decoded);
      return this;
    }
  }

  /**
   * The executor side: a pooled network (sized for the batch on training and for the batch
   * times the beam on decoding), loaded with the broadcast model.
   */
  static final class Worker {
    private static final TaskPool<Worker> POOL = new TaskPool<>();

    private final SparkTrainingConfig config;
    private final Seq2SeqData.Setup setup;
    private final Seq2SeqNetwork net;
    private final Optimizer optimizer;
    private final Seq2SeqTrainer trainer;

    private Worker(SparkTrainingConfig config, Seq2SeqData.Setup setup) {
      this.config = config;
      this.setup = setup;
      MemoryBudget.checkTask(config);
      this.net = new Seq2SeqNetwork(setup.spec(), Precision.FLOAT,
          config.batchSize() * Math.max(1, setup.beam()), setup.maxSource(), setup.maxTarget());
      this.optimizer = config.optimizer().build(net.layout(), Precision.FLOAT);
      this.trainer = new Seq2SeqTrainer(net, optimizer, config.batchSize(), config.seed());
    }

    /** This thread's worker, loaded with {@code snapshot}, at the rate times {@code rateScale}. */
    static Worker load(SparkTrainingConfig config, Seq2SeqData.Setup setup,
        ModelSnapshot snapshot, double rateScale) {
      Worker w = POOL.borrow(x -> x.config.equals(config) && x.setup.equals(setup),
          () -> new Worker(config, setup));
      TaskPool.atTaskEnd(() -> POOL.giveBack(w));
      w.net.params().setAll(snapshot.params());
      w.optimizer.state().setAll(snapshot.optimizerState());
      w.optimizer.setStepCount(snapshot.optimizerSteps());
      w.optimizer.setRateScale(rateScale);
      return w;
    }

    /** Trains minibatches {@code [first, first + count)} of this shard's order for the epoch. */
    RoundResult round(List<Pair> shard, int partition, int epoch, int firstBatch, int batches) {
      long start = System.nanoTime();
      int[] order = ClassifierTrainer.epochOrder(shard.size(), config.seed(), epoch, partition);
      int from = Math.min(shard.size(), firstBatch * config.batchSize());
      int to = Math.min(shard.size(), from + batches * config.batchSize());
      LossTotals totals = new LossTotals();
      trainer.train(shard, order, from, to, epoch, partition, totals);
      return RoundResult.of(net.params(), optimizer.state(), to - from, optimizer.stepCount(),
          totals, (System.nanoTime() - start) / 1e9);
    }
  }
}
