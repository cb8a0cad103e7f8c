package io.sparklstm.spark;

import io.sparklstm.data.Example;
import io.sparklstm.data.TokenStreams;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.train.ClassifierTrainer;
import io.sparklstm.train.Evaluation;
import io.sparklstm.train.HeldOut;
import io.sparklstm.train.LanguageModelTrainer;
import io.sparklstm.train.ModelSnapshot;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * What a model learns, chosen once (the conf key {@code task}, or by the estimator): it owns the
 * network's head, how its data becomes training shards, what a round trains on each shard, how
 * a model is evaluated on held-out data and what its metric is called. {@link SparkTrainer} runs
 * the rounds of any task without asking which it is. A new task is one more subclass here, and
 * one more argument of {@link #choose}, which the compiler then demands wherever tasks differ
 * outside this package.
 *
 * @param <D> the task's data: labelled (or tagged) examples, or a text of token ids
 */
public abstract sealed class Task<D> permits Task.Classification, Task.LanguageModel,
    Task.Tagging, Seq2SeqTask {
  public static final Classification CLASSIFICATION = new Classification();
  public static final LanguageModel LANGUAGE_MODEL = new LanguageModel();
  public static final Tagging TAGGING = new Tagging();

  Task() {}

  /** Its name in conf files ({@code task = ...}) and saved models. */
  public abstract String name();

  /** Where the network's softmax reads: every step, or the last real step. */
  public abstract HeadKind head();

  /** The value for this task among one per task (listed in the order of the permits clause). */
  public abstract <R> R choose(R classification, R languageModel, R tagging, R seq2seq);

  /** The task called {@code name} (see {@link #name}). */
  public static Task<?> named(String name) {
    for (Task<?> t : List.of(CLASSIFICATION, LANGUAGE_MODEL, TAGGING, Seq2SeqTask.SEQ2SEQ)) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown task '" + name + "'");
  }

  @Override
  public String toString() {
    return name();
  }

  /** {@code data} cut into the config's shards, persisted, with the round job over them. */
  abstract Shards shard(D data, SparkTrainingConfig config);

  /** The figures of {@code model} on {@code data}, computed where the data lies. */
  abstract HeldOut evaluate(JavaSparkContext sc, SparkTrainingConfig config, ModelSnapshot model,
      D data);

  /** A task's training data in shards: steps per epoch, and a round's distributed job. */
  interface Shards {
    /** Minibatches (windows) of the largest shard per epoch. */
    int stepsPerEpoch();

    /**
     * Trains steps {@code [first, first + steps)} of {@code epoch} on every shard, at the
     * learning rate times {@code rateScale} (see {@link io.sparklstm.train.Selection}).
     */
    JavaRDD<PartitionTree<RoundResult>> round(Broadcast<ModelSnapshot> model, double rateScale,
        int epoch, int first, int steps);

    void release();
  }

  /** A label per sequence, from the state after its last real step; example i to shard i mod N. */
  public static final class Classification extends Task<JavaRDD<Example>> {
    private Classification() {}

    @Override
    public String name() {
      return "classification";
    }

    @Override
    public HeadKind head() {
      return HeadKind.LAST_STEP;
    }

    @Override
    public <R> R choose(R classification, R languageModel, R tagging, R seq2seq) {
      return classification;
    }

    @Override
    Shards shard(JavaRDD<Example> data, SparkTrainingConfig cfg) {
      return exampleShards(data, cfg);
    }

    @Override
    HeldOut evaluate(JavaSparkContext sc, SparkTrainingConfig cfg, ModelSnapshot model,
        JavaRDD<Example> data) {
      return new HeldOut.Classes(evaluateExamples(sc, cfg, model, data));
    }
  }

  /**
   * A tag per token, from the states of both directions (when bidirectional) at its step: the
   * data, its shards and rounds are classification's, with a tag per step for a label.
   */
  public static final class Tagging extends Task<JavaRDD<Example>> {
    private Tagging() {}

    @Override
    public String name() {
      return "tagging";
    }

    @Override
    public HeadKind head() {
      return HeadKind.EVERY_STEP;
    }

    @Override
    public <R> R choose(R classification, R languageModel, R tagging, R seq2seq) {
      return tagging;
    }

    @Override
    Shards shard(JavaRDD<Example> data, SparkTrainingConfig cfg) {
      return exampleShards(data, cfg);
    }

    @Override
    HeldOut evaluate(JavaSparkContext sc, SparkTrainingConfig cfg, ModelSnapshot model,
        JavaRDD<Example> data) {
      return new HeldOut.Tags(evaluateExamples(sc, cfg, model, data));
    }
  }

  /** Example i to shard i mod N; a round trains a slice of minibatches of every shard. */
  private static Shards exampleShards(JavaRDD<Example> data, SparkTrainingConfig cfg) {
    long[] sizes = Sharding.sizes(data); // one pass: the count, and the examples' numbers
    long count = Arrays.stream(sizes).sum();
    requireFill(count, cfg.partitions(), "examples");
    return perShard(Sharding.examples(data, sizes, cfg.partitions()), count, cfg,
        (shard, p, epoch, first, steps, model, rateScale) -> ShardWorker.load(cfg, model,
            rateScale).classifierRound(shard, p, epoch, first, steps));
  }

  /** Fails when {@code count} items cannot give each of {@code partitions} shards one. */
  static void requireFill(long count, int partitions, String items) {
    if (count < partitions) {
      throw new IllegalArgumentException(count + " " + items + " cannot fill " + partitions
          + " partitions; use fewer partitions");
    }
  }

  /** What one partition does in a round: train its shard's minibatches [first, first + steps). */
  interface ShardRound<S> extends Serializable {
    RoundResult run(S shard, int partition, int epoch, int first, int steps,
        ModelSnapshot model, double rateScale);
  }

  /**
   * Rounds over {@code shards} (one shard per partition, of at most ceil(count / N) items, in
   * minibatches of the configured size): each round runs {@code round} on every shard.
   */
  static <S> Shards perShard(JavaRDD<S> shards, long count, SparkTrainingConfig cfg,
      ShardRound<S> round) {
    int n = cfg.partitions();
    long largest = (count + n - 1) / n;
    int batchesPerEpoch = (int) ((largest + cfg.batchSize() - 1) / cfg.batchSize());
    return new Shards() {
      @Override
      public int stepsPerEpoch() {
        return batchesPerEpoch;
      }

      @Override
      public JavaRDD<PartitionTree<RoundResult>> round(Broadcast<ModelSnapshot> model,
          double rateScale, int epoch, int first, int steps) {
        return shards.mapPartitionsWithIndex((p, it) -> List.of(PartitionTree.leaf(n, p,
            round.run(it.next(), p, epoch, first, steps, model.value(), rateScale))).iterator(),
            true);
      }

      @Override
      public void release() {
        shards.unpersist(false);
      }
    };
  }

  /** The confusion matrix (over examples, or tagged tokens) of {@code model} on {@code data}. */
  private static Evaluation evaluateExamples(JavaSparkContext sc, SparkTrainingConfig cfg,
      ModelSnapshot model, JavaRDD<Example> data) {
    Broadcast<ModelSnapshot> b = sc.broadcast(model);
    int n = data.getNumPartitions();
    Evaluation e = PartitionTree.sum(data.mapPartitionsWithIndex((p, it) -> {
      List<Example> rows = new ArrayList<>();
      it.forEachRemaining(rows::add);
      Evaluation part = new Evaluation(cfg.spec().outputSize());
      if (!rows.isEmpty()) {
        ShardWorker w = ShardWorker.load(cfg, b.value());
        part = new ClassifierTrainer(w.network(), null, cfg.batchSize(), cfg.seed())
            .evaluate(rows);
      }
      return List.of(PartitionTree.leaf(n, p, new Metrics(part, null))).iterator();
    }, true), n).evaluation;
    b.destroy();
    return e;
  }

  /**
   * The next token at every step, by truncated BPTT over contiguous shards of one text, each
   * partition's recurrent state carried from round to round within an epoch.
   */
  public static final class LanguageModel extends Task<TokenText> {
    private LanguageModel() {}

    @Override
    public String name() {
      return "language-model";
    }

    @Override
    public HeadKind head() {
      return HeadKind.EVERY_STEP;
    }

    @Override
    public <R> R choose(R classification, R languageModel, R tagging, R seq2seq) {
      return languageModel;
    }

    @Override
    Shards shard(TokenText text, SparkTrainingConfig cfg) {
      int n = cfg.partitions();
      JavaRDD<int[]> shards = text.shards(n);
      int windows;
      try {
        windows = shards.map(s -> new TokenStreams(s, 0, s.length, cfg.batchSize(),
            cfg.window()).windows()).reduce(Math::max);
      } catch (RuntimeException e) {
        shards.unpersist(false); // the trainer releases the shards only once it has them
        throw e;
      }
      return new Shards() {
        @Override
        public int stepsPerEpoch() {
          return windows;
        }

        @Override
        public JavaRDD<PartitionTree<RoundResult>> round(Broadcast<ModelSnapshot> model,
            double rateScale, int epoch, int first, int count) {
          return shards.mapPartitionsWithIndex((p, it) -> {
            float[] carried = model.value().carriedStates().get(p);
            RoundResult r = ShardWorker.load(cfg, model.value(), rateScale)
                .languageModelRound(it.next(), p, epoch, first, count, carried);
            return List.of(PartitionTree.leaf(n, p, r)).iterator();
          }, true);
        }

        @Override
        public void release() {
          shards.unpersist(false);
        }
      };
    }

    /** Each shard from zero state. */
    @Override
    HeldOut evaluate(JavaSparkContext sc, SparkTrainingConfig cfg, ModelSnapshot model,
        TokenText text) {
      int n = cfg.partitions();
      Broadcast<ModelSnapshot> b = sc.broadcast(model);
      JavaRDD<int[]> shards = text.shards(n);
      LossTotals loss = PartitionTree.sum(shards.mapPartitionsWithIndex((p, it) -> {
        int[] s = it.next();
        ShardWorker w = ShardWorker.load(cfg, b.value());
        LossTotals t = new LanguageModelTrainer(w.network(), null, cfg.batchSize())
            .evaluate(new TokenStreams(s, 0, s.length, cfg.batchSize(), cfg.window()));
        return List.of(PartitionTree.leaf(n, p, new Metrics(null, t))).iterator();
      }, true), n).loss;
      shards.unpersist(false);
      b.destroy();
      return new HeldOut.Tokens(loss);
    }
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
