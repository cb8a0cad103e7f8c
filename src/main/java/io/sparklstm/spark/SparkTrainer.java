package io.sparklstm.spark;

import io.sparklstm.data.Example;
import io.sparklstm.data.TokenStreams;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.Precision;
import io.sparklstm.train.ClassifierTrainer;
import io.sparklstm.train.Evaluation;
import io.sparklstm.train.LanguageModelTrainer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * Data-parallel training by parameter averaging. The driver shards the data once (cached,
 * spilling to disk), then runs rounds: broadcast the model, let every partition train its slice
 * locally with BPTT, sum the example-weighted results in a fixed tree ({@link PartitionTree}),
 * and average. A round is a whole epoch by default, or {@code averageEvery} minibatches
 * (windows). The driver holds the model and metrics, never data.
 */
public final class SparkTrainer {
  /** The default of {@link #divergenceFactor}. */
  public static final int DEFAULT_DIVERGENCE_FACTOR = 10;

  private final JavaSparkContext sc;
  private final SparkTrainingConfig config;
  private long maxRounds = Long.MAX_VALUE;
  private double maxSeconds = Double.MAX_VALUE;
  private double divergenceFactor = DEFAULT_DIVERGENCE_FACTOR;

  /**
   * A trainer for {@code config}; fails at once when the model cannot fit this JVM (with its
   * local tasks, in local mode), before anything is allocated.
   */
  public SparkTrainer(JavaSparkContext sc, SparkTrainingConfig config) {
    this.sc = sc;
    this.config = config.partitions() > 0 ? config
        : config.withPartitions(sc.defaultParallelism());
    MemoryBudget.checkDriver(this.config, sc.isLocal()
        ? Math.min(this.config.partitions(), sc.defaultParallelism()) : 0);
  }

  public SparkTrainingConfig config() {
    return config;
  }

  /** Stops after {@code rounds} rounds of this call, wherever the epoch is (0: no limit). */
  public SparkTrainer stopAfterRounds(long rounds) {
    this.maxRounds = rounds <= 0 ? Long.MAX_VALUE : rounds;
    return this;
  }

  /**
   * Stops before a round that would end after {@code seconds} of round wall time in this call,
   * predicting its length from the previous round (0: no limit). Time, not data, decides where
   * such a run ends, so it is for budgeted comparisons, not for reproducible models.
   */
  public SparkTrainer stopAfterSeconds(double seconds) {
    this.maxSeconds = seconds <= 0 ? Double.MAX_VALUE : seconds;
    return this;
  }

  /**
   * Stops, as diverged, at the first round whose mean training loss exceeds {@code factor} times
   * ln V (V: output classes), the loss of a model that guesses uniformly, which is about where an
   * initialised model starts. Healthy runs stay far below (their loss falls from about ln V);
   * an exploding one passes it long before its loss stops being a finite number. 0 disables the
   * rule; non-finite losses and parameters stop a run always.
   */
  public SparkTrainer divergenceFactor(double factor) {
    this.divergenceFactor = factor;
    return this;
  }

  /** The model before training: parameters from the seed, zero optimizer state. */
  public ModelSnapshot initialModel() {
    LstmNetwork net = new LstmNetwork(config.spec(), Precision.FLOAT, 1, 1);
    net.initialize(config.seed());
    int stateSize = config.optimizer().rule().stateSlots() * net.layout().size();
    return new ModelSnapshot(net.params().toFloatArray(), new float[stateSize], 0, Map.of());
  }

  /** The state before the first round. */
  public TrainingState initialState() {
    ModelSnapshot m = initialModel();
    return new TrainingState(0, 0, m, new double[m.params().length]);
  }

  /** Told after every round, with the state a run could continue from. */
  @FunctionalInterface
  public interface Progress {
    void roundDone(RoundRecord record, TrainingState next);
  }

  /** Trains a sequence classifier on labelled examples from the start. */
  public ModelSnapshot trainClassifier(JavaRDD<Example> data, Consumer<RoundRecord> onRound) {
    return trainClassifier(data, initialState(), (r, s) -> onRound.accept(r)).model();
  }

  /** Trains a sequence classifier from {@code start} to the last epoch. */
  public TrainingState trainClassifier(JavaRDD<Example> data, TrainingState start,
      Progress progress) {
    SparkTrainingConfig cfg = config;
    int n = cfg.partitions();
    long count = data.count();
    if (count < n) {
      throw new IllegalArgumentException(
          count + " examples cannot fill " + n + " partitions; use fewer partitions");
    }
    JavaRDD<ExampleShard> shards = Sharding.examples(data, n);
    try {
      long largest = (count + n - 1) / n;
      int batchesPerEpoch = (int) ((largest + cfg.batchSize() - 1) / cfg.batchSize());
      return rounds(batchesPerEpoch, start, progress, (model, epoch, first, steps) ->
          shards.mapPartitionsWithIndex((p, it) -> {
            RoundResult r = ShardWorker.load(cfg, model.value())
                .classifierRound(it.next(), p, epoch, first, steps);
            return List.of(PartitionTree.leaf(n, p, r)).iterator();
          }, true));
    } finally {
      shards.unpersist(false);
    }
  }

  /** Trains a language model on a whole text (token chunks in reading order) from the start. */
  public ModelSnapshot trainLanguageModel(JavaRDD<int[]> text, Consumer<RoundRecord> onRound) {
    return trainLanguageModel(TokenText.of(text), initialState(), (r, s) -> onRound.accept(r))
        .model();
  }

  /** Trains a language model from {@code start} to the last epoch. */
  public TrainingState trainLanguageModel(TokenText text, TrainingState start,
      Progress progress) {
    SparkTrainingConfig cfg = config;
    int n = cfg.partitions();
    JavaRDD<int[]> shards = text.shards(n);
    try {
      int windows = shards.map(s -> new TokenStreams(s, 0, s.length, cfg.batchSize(),
          cfg.window()).windows()).reduce(Math::max);
      return rounds(windows, start, progress, (model, epoch, first, count) ->
          shards.mapPartitionsWithIndex((p, it) -> {
            float[] carried = model.value().carriedStates().get(p);
            RoundResult r = ShardWorker.load(cfg, model.value())
                .languageModelRound(it.next(), p, epoch, first, count, carried);
            return List.of(PartitionTree.leaf(n, p, r)).iterator();
          }, true));
    } finally {
      shards.unpersist(false);
    }
  }

  /** The rounds from {@code start} to the end, over {@code stepsPerEpoch} steps per shard. */
  private TrainingState rounds(int stepsPerEpoch, TrainingState start, Progress progress,
      RoundJob job) {
    int per = config.averageEvery() == 0 ? stepsPerEpoch : config.averageEvery();
    int roundsPerEpoch = (stepsPerEpoch + per - 1) / per;
    int n = config.partitions();
    BlockMomentum momentum = new BlockMomentum(config.effectiveBlockMomentum(),
        start.velocity());
    Function2<PartitionTree<RoundResult>, PartitionTree<RoundResult>, PartitionTree<RoundResult>>
        merge = PartitionTree::merge;
    TrainingState state = start;
    double spent = 0;
    double last = 0;
    for (long done = 0; state.epoch() < config.epochs() && done < maxRounds
        && spent + last <= maxSeconds; done++) {
      int epoch = state.epoch();
      int round = state.round();
      sc.setJobDescription(String.format("epoch %d, round %d/%d", epoch + 1, round + 1,
          roundsPerEpoch));
      long t0 = System.nanoTime();
      Broadcast<ModelSnapshot> b = sc.broadcast(state.model());
      long t1 = System.nanoTime();
      RoundResult sum = job.run(b, epoch, round * per, per)
          .treeAggregate(PartitionTree.<RoundResult>empty(n), merge, merge, 2).result();
      long t2 = System.nanoTime();
      float[] averaged = sum.averageParams();
      checkDiverged(sum.loss().meanLoss(), averaged, epoch, round, roundsPerEpoch);
      boolean epochEnds = round + 1 == roundsPerEpoch;
      ModelSnapshot model = next(state.model(), averaged, sum, momentum,
          epochEnds ? Map.of() : sum.carriedStates());
      b.destroy();
      long t3 = System.nanoTime();
      state = new TrainingState(epochEnds ? epoch + 1 : epoch, epochEnds ? 0 : round + 1, model,
          momentum.velocity());
      double wall = (t3 - t0) / 1e9;
      spent += wall;
      last = wall;
      double compute = sum.maxTaskSeconds();
      LossTotals loss = sum.loss();
      progress.roundDone(new RoundRecord(epoch, round, roundsPerEpoch, (long) sum.weight(),
          loss.meanLoss(), loss.accuracy(), sum.weight() / wall, compute, (t1 - t0) / 1e9,
          Math.max(0, (t2 - t1) / 1e9 - compute) + (t3 - t2) / 1e9, wall,
          sum.maxResidentBytes()), state);
    }
    sc.setJobDescription(null);
    return state;
  }

  /**
   * Stops at the first round whose loss or averaged parameters are not finite numbers, or whose
   * loss is above the divergence bound ({@link #divergenceFactor}).
   */
  private void checkDiverged(double loss, float[] p, int epoch, int round, int rounds) {
    String where = "training diverged at epoch " + (epoch + 1) + ", round " + (round + 1) + "/"
        + rounds + ": ";
    String fix = "; lower optim.lr or set optim.clip";
    if (!Double.isFinite(loss)) {
      throw new DivergedException(where + "the loss is " + loss + fix);
    }
    double lnV = Math.log(config.spec().outputSize());
    if (divergenceFactor > 0 && loss > divergenceFactor * lnV) {
      throw new DivergedException(String.format(Locale.ROOT, "%sthe mean loss %.4g exceeds "
          + "train.divergence.factor x ln V = %s x ln %d = %.2f (ln V: the loss of a uniform "
          + "guess, where training starts)%s", where, loss, divergenceFactor,
          config.spec().outputSize(), divergenceFactor * lnV, fix));
    }
    for (int i = 0; i < p.length; i++) {
      if (!Float.isFinite(p[i])) {
        throw new DivergedException(where + "parameter " + i + " is " + p[i] + fix);
      }
    }
  }

  private ModelSnapshot next(ModelSnapshot before, float[] averaged, RoundResult sum,
      BlockMomentum momentum, Map<Integer, float[]> carried) {
    float[] params = momentum.apply(before.params(), averaged);
    if (config.averageOptimizerState()) {
      return new ModelSnapshot(params, sum.averageOptimizerState(), sum.optimizerSteps(),
          Map.copyOf(carried));
    }
    return new ModelSnapshot(params, new float[before.optimizerState().length], 0,
        Map.copyOf(carried));
  }

  /** Loss, accuracy and confusion matrix of {@code model} on {@code data}, computed where it lies. */
  public Evaluation evaluateClassifier(ModelSnapshot model, JavaRDD<Example> data) {
    SparkTrainingConfig cfg = config;
    Broadcast<ModelSnapshot> b = sc.broadcast(model);
    int n = data.getNumPartitions();
    Function2<PartitionTree<Metrics>, PartitionTree<Metrics>, PartitionTree<Metrics>> merge =
        PartitionTree::merge;
    sc.setJobDescription("evaluate");
    Evaluation e = data.mapPartitionsWithIndex((p, it) -> {
      List<Example> rows = new java.util.ArrayList<>();
      it.forEachRemaining(rows::add);
      Evaluation part = new Evaluation(cfg.spec().outputSize());
      if (!rows.isEmpty()) {
        ShardWorker w = ShardWorker.load(cfg, b.value());
        part = new ClassifierTrainer(w.network(), null, cfg.batchSize(), cfg.seed())
            .evaluate(rows);
      }
      return List.of(PartitionTree.leaf(n, p, new Metrics(part, null))).iterator();
    }, true).treeAggregate(PartitionTree.<Metrics>empty(n), merge, merge, 2).result().evaluation;
    b.destroy();
    return e;
  }

  /** Loss (bits per token, perplexity) of {@code model} on a text, each shard from zero state. */
  public LossTotals evaluateLanguageModel(ModelSnapshot model, TokenText text) {
    SparkTrainingConfig cfg = config;
    int n = config.partitions();
    Broadcast<ModelSnapshot> b = sc.broadcast(model);
    Function2<PartitionTree<Metrics>, PartitionTree<Metrics>, PartitionTree<Metrics>> merge =
        PartitionTree::merge;
    sc.setJobDescription("evaluate");
    JavaRDD<int[]> shards = text.shards(n);
    LossTotals loss = shards.mapPartitionsWithIndex((p, it) -> {
      int[] s = it.next();
      ShardWorker w = ShardWorker.load(cfg, b.value());
      LossTotals t = new LanguageModelTrainer(w.network(), null, cfg.batchSize())
          .evaluate(new TokenStreams(s, 0, s.length, cfg.batchSize(), cfg.window()));
      return List.of(PartitionTree.leaf(n, p, new Metrics(null, t))).iterator();
    }, true).treeAggregate(PartitionTree.<Metrics>empty(n), merge, merge, 2).result().loss;
    shards.unpersist(false);
    b.destroy();
    return loss;
  }

  /** One round's distributed job, given the broadcast model and the slice to train. */
  @FunctionalInterface
  private interface RoundJob {
    JavaRDD<PartitionTree<RoundResult>> run(Broadcast<ModelSnapshot> model, int epoch,
        int firstStep, int steps);
  }

  /** Evaluation results as a tree-summable value. */
  static final class Metrics implements PartitionTree.Summable<Metrics> {
    final Evaluation evaluation;
    final LossTotals loss;

    Metrics(Evaluation evaluation, LossTotals loss) {
      this.evaluation = evaluation;
      this.loss = loss;
    }

    @Override
    public Metrics plus(Metrics o) {
      if (evaluation != null) {
        evaluation.merge(o.evaluation);
      }
      if (loss != null) {
        loss.add(o.loss);
      }
      return this;
    }
  }
}
