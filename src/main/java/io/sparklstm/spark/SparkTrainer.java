package io.sparklstm.spark;

import io.sparklstm.data.Example;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.Precision;
import io.sparklstm.train.Evaluation;
import io.sparklstm.train.HeldOut;
import io.sparklstm.train.ModelSnapshot;
import io.sparklstm.train.RoundRecord;
import io.sparklstm.train.TrainingState;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
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
    this.config = config.withPartitions(SparkTrainingConfig.partitions(sc, config.partitions()));
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

  /** Told after every round, and says how to go on. */
  @FunctionalInterface
  public interface Steering {
    /**
     * Returns the state to continue from: {@code next}, or {@code next} with the selection its
     * held-out evaluation made (whose learning-rate factor the next rounds train with, and which
     * stops the run when it says so).
     */
    TrainingState roundDone(RoundRecord record, TrainingState next);
  }

  /** Trains {@code task} on {@code data} from {@code start} to the last epoch. */
  public <D> TrainingState train(Task<D> task, D data, TrainingState start, Progress progress) {
    return trainSteered(task, data, start, (r, s) -> {
      progress.roundDone(r, s);
      return s;
    });
  }

  /**
   * Trains {@code task} on {@code data} from {@code start} to the last epoch, or until the
   * selection {@code steering} returns says to stop.
   */
  public <D> TrainingState trainSteered(Task<D> task, D data, TrainingState start,
      Steering steering) {
    Task.Shards shards = task.shard(data, config);
    try {
      return rounds(shards, start, steering);
    } finally {
      shards.release();
    }
  }

  /** Trains a sequence classifier on labelled examples from the start. */
  public ModelSnapshot trainClassifier(JavaRDD<Example> data, Consumer<RoundRecord> onRound) {
    return train(Task.CLASSIFICATION, data, initialState(), (r, s) -> onRound.accept(r)).model();
  }

  /** Trains a language model on a whole text (token chunks in reading order) from the start. */
  public ModelSnapshot trainLanguageModel(JavaRDD<int[]> text, Consumer<RoundRecord> onRound) {
    return train(Task.LANGUAGE_MODEL, TokenText.of(text), initialState(),
        (r, s) -> onRound.accept(r)).model();
  }

  /** The rounds from {@code start} to the end, over the task's shards. */
  private TrainingState rounds(Task.Shards job, TrainingState start, Steering steering) {
    int stepsPerEpoch = job.stepsPerEpoch();
    int per = config.averageEvery() == 0 ? stepsPerEpoch : config.averageEvery();
    int roundsPerEpoch = (stepsPerEpoch + per - 1) / per;
    int n = config.partitions();
    MomentumFilter momentum = new MomentumFilter(config.effectiveBlockMomentum(),
        start.velocity());
    TrainingState state = start;
    double spent = 0;
    double last = 0;
    for (long done = 0; state.epoch() < config.epochs() && !state.selection().stop()
        && done < maxRounds && spent + last <= maxSeconds; done++) {
      int epoch = state.epoch();
      int round = state.round();
      sc.setJobDescription(String.format("epoch %d, round %d/%d", epoch + 1, round + 1,
          roundsPerEpoch));
      long t0 = System.nanoTime();
      Broadcast<ModelSnapshot> b = sc.broadcast(state.model());
      long t1 = System.nanoTime();
      RoundResult sum = PartitionTree.sum(
          job.round(b, state.selection().rateScale(), epoch, round * per, per), n);
      long t2 = System.nanoTime();
      float[] averaged = sum.averageParams();
      checkDiverged(sum.loss().meanLoss(), averaged, epoch, round, roundsPerEpoch);
      boolean epochEnds = round + 1 == roundsPerEpoch;
      ModelSnapshot model = next(state.model(), averaged, sum, momentum,
          epochEnds ? Map.of() : sum.carriedStates());
      b.destroy();
      long t3 = System.nanoTime();
      state = new TrainingState(epochEnds ? epoch + 1 : epoch, epochEnds ? 0 : round + 1, model,
          momentum.velocity(), state.selection());
      double wall = (t3 - t0) / 1e9;
      spent += wall;
      last = wall;
      double compute = sum.maxTaskSeconds();
      LossTotals loss = sum.loss();
      state = steering.roundDone(new RoundRecord(epoch, round, roundsPerEpoch, (long) sum.weight(),
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
      MomentumFilter momentum, Map<Integer, float[]> carried) {
    float[] params = momentum.apply(before.params(), averaged);
    if (config.averageOptimizerState()) {
      return new ModelSnapshot(params, sum.averageOptimizerState(), sum.optimizerSteps(),
          Map.copyOf(carried));
    }
    return new ModelSnapshot(params, new float[before.optimizerState().length], 0,
        Map.copyOf(carried));
  }

  /** The figures of {@code model} on {@code data} (the task's held-out evaluation). */
  public <D> HeldOut evaluate(Task<D> task, ModelSnapshot model, D data) {
    sc.setJobDescription("evaluate");
    HeldOut h = task.evaluate(sc, config, model, data);
    sc.setJobDescription(null);
    return h;
  }

  /** Loss, accuracy and confusion matrix of a classifier on labelled examples. */
  public Evaluation evaluateClassifier(ModelSnapshot model, JavaRDD<Example> data) {
    return ((HeldOut.Classes) evaluate(Task.CLASSIFICATION, model, data)).evaluation();
  }

  /** Loss (bits per token, perplexity) of a language model on a text. */
  public LossTotals evaluateLanguageModel(ModelSnapshot model, TokenText text) {
    return ((HeldOut.Tokens) evaluate(Task.LANGUAGE_MODEL, model, text)).totals();
  }
}
