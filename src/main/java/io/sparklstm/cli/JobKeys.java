package io.sparklstm.cli;

import io.sparklstm.spark.SparkTrainer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every configuration key a job knows: its meaning, default and expected form, in one place. */
public final class JobKeys {
  private JobKeys() {}

  /** The expected form of a value; {@link #problem} says what was expected, or null if valid. */
  public interface Type {
    String problem(String value);
  }

  public record Key(String name, String defaultValue, Type type, String doc) {}

  static Type integer(long min, long max) {
    return v -> {
      try {
        long x = Long.parseLong(v);
        return x >= min && x <= max ? null : "an integer in [" + min + ", " + max + "]";
      } catch (NumberFormatException e) {
        return "an integer in [" + min + ", " + max + "]";
      }
    };
  }

  static Type number(double min, double max) {
    return v -> {
      try {
        double x = Double.parseDouble(v);
        return x >= min && x <= max ? null : "a number in [" + min + ", " + max + "]";
      } catch (NumberFormatException e) {
        return "a number in [" + min + ", " + max + "]";
      }
    };
  }

  static Type oneOf(String... options) {
    List<String> all = List.of(options);
    return v -> all.contains(v) ? null : "one of " + String.join(", ", all);
  }

  static final Type TEXT = v -> null;
  static final Type REQUIRED_TEXT = v -> v.isEmpty() ? "a non-empty value" : null;
  static final Type BOOLEAN = oneOf("true", "false");
  static final Type SEED = integer(Long.MIN_VALUE, Long.MAX_VALUE);
  static final Type PROBABILITY = v -> {
    try {
      double x = Double.parseDouble(v);
      return x >= 0 && x < 1 ? null : "a number in [0, 1)";
    } catch (NumberFormatException e) {
      return "a number in [0, 1)";
    }
  };

  public static final Map<String, Key> ALL = new LinkedHashMap<>();

  static {
    add("task", "language-model", oneOf("language-model", "classification"),
        "language-model: predict the next token at every step (TBPTT); classification: one "
            + "label per sequence");
    add("data.format", "text", oneOf("text", "idx", "labelled-dirs", "csv", "parquet"),
        "text: UTF-8 text (file, directory, glob, .gz); idx: MNIST-format images read row by "
            + "row; labelled-dirs: one directory of text files per class, named after it; "
            + "csv (RFC 4180, header row)/parquet: columns text and label");
    add("data.train", "", REQUIRED_TEXT, "training data: any Hadoop path (file://, hdfs://, s3a://)");
    add("data.train.labels", "", TEXT, "idx only: the labels file of data.train");
    add("data.validation", "", TEXT, "held-out data (same format); empty: see data.validation.fraction");
    add("data.validation.labels", "", TEXT, "idx only: the labels file of data.validation");
    add("data.validation.fraction", "0.1", number(0, 0.5),
        "text only, when data.validation is empty: the last fraction of the text is held out");
    add("vocab.level", "char", oneOf("char", "word"), "tokens: characters or whitespace-separated words");
    add("vocab.min.count", "1", integer(1, Integer.MAX_VALUE),
        "tokens seen fewer times map to the unknown token");
    add("model.classes", "10", integer(2, 1_000_000),
        "classification: number of classes; labels are 0 .. classes-1 (labelled-dirs: "
            + "one directory per class)");
    add("text.max.length", "200", integer(1, 1_000_000),
        "classification: texts are cut to this many tokens; shorter ones are padded and masked");
    add("model.input", "tokens", oneOf("tokens", "embedding", "dense"),
        "tokens: one-hot ids; embedding: a learned table; dense: float features (idx)");
    add("model.embedding", "64", integer(1, 100_000), "embedding width when model.input = embedding");
    add("model.hidden", "256", integer(1, 100_000), "units per LSTM layer");
    add("model.layers", "2", integer(1, 64), "stacked LSTM layers");
    add("model.bidirectional", "false", BOOLEAN, "classification: every layer also reads each "
        + "sequence backward from its last real step; the next layer and the head read both");
    add("model.pooling", "last", oneOf("last", "mean", "max"), "classification: the head reads "
        + "the state after the last real step, or the mean or maximum over the real steps");
    add("model.dropout.input", "0", PROBABILITY,
        "dropout on every LSTM layer's input in training (per step and unit); 0: off");
    add("model.dropout.recurrent", "0", PROBABILITY, "dropout on h(t-1) where it feeds the "
        + "gates, one mask per sequence reused at every step (variational); 0: off");
    add("model.dropout.output", "0", PROBABILITY, "dropout on every LSTM layer's output (the top "
        + "layer's: what the head reads) in training; 0: off");
    add("train.epochs", "1", integer(1, 1_000_000), "passes over the training data");
    add("train.batch", "32", integer(1, 1_000_000),
        "sequences per minibatch (classification) or parallel streams (language model) per task");
    add("train.window", "100", integer(1, 1_000_000), "TBPTT window in steps (language model)");
    add("train.seed", "1", SEED, "seed of initialisation and every shuffle");
    add("train.max.rounds", "0", integer(0, Long.MAX_VALUE),
        "stop after this many averaging rounds of the run, resumes included (0: train all "
            + "epochs); for trials and scale tests");
    add("train.max.seconds", "0", number(0, 1e9),
        "training-time budget of the run, resumes included (0: none): stop at the last round "
            + "boundary that keeps the rounds' wall time within it (predicted from the previous "
            + "round), then evaluate the model");
    add("train.divergence.factor", String.valueOf(SparkTrainer.DEFAULT_DIVERGENCE_FACTOR),
        v -> number(0, 0).problem(v) == null || number(1, 1e9).problem(v) == null ? null
            : "0 (off) or a number in [1, 1e9]",
        "stop as diverged when a round's mean training loss exceeds this many times ln V (V:"
            + " vocabulary or classes), the loss of a uniform guess, where training starts; "
            + "0: only a loss or parameter that is not a finite number stops a run");
    add("optim.name", "adam", oneOf("adam", "sgd", "rmsprop"), "update rule");
    add("optim.lr", "0.002", number(1e-12, Float.MAX_VALUE), "learning rate");
    add("optim.momentum", "0.9", number(0, 0.999999), "sgd momentum");
    add("optim.nesterov", "false", BOOLEAN, "sgd: Nesterov momentum");
    add("optim.beta1", "0.9", number(0, 0.999999), "adam first-moment decay");
    add("optim.beta2", "0.999", number(0, 0.999999999), "adam second-moment decay");
    add("optim.epsilon", "1e-8", number(1e-30, 1), "adam/rmsprop denominator epsilon");
    add("optim.rho", "0.99", number(0, 0.999999), "rmsprop decay");
    add("optim.l2", "0", number(0, 1e3), "L2 weight decay on weights (not biases)");
    add("optim.clip", "5.0", number(0, 1e9), "global gradient-norm clip; 0 disables");
    add("optim.schedule", "constant", oneOf("constant", "step", "exponential", "cosine"),
        "learning-rate schedule over updates");
    add("optim.schedule.every", "1000", integer(1, Long.MAX_VALUE), "step schedule: updates per decay");
    add("optim.schedule.gamma", "0.5", number(1e-9, 1), "step/exponential schedule: decay factor");
    add("optim.schedule.floor", "0", number(0, 1e3), "cosine schedule: final learning rate");
    add("optim.schedule.total", "10000", integer(1, Long.MAX_VALUE), "cosine schedule: updates to reach the floor");
    add("spark.partitions", "0", integer(0, 1_000_000), "training shards; 0: Spark's default parallelism");
    add("average.every", "0", integer(0, 1_000_000),
        "minibatches (windows) per averaging round; 0: average once per epoch");
    add("average.optimizer.state", "true", BOOLEAN, "average the optimizer state (else reset it each round)");
    add("average.block.momentum", "auto", v -> v.equals("auto") ? null
        : number(0, 0.999).problem(v) == null ? null : "auto or a number in [0, 0.999]",
        "momentum on averaged round updates; auto: 1 - 1/partitions; 0: plain averaging");
    add("checkpoint.every.rounds", "0", integer(0, 1_000_000),
        "also checkpoint every N rounds (a checkpoint is always written after each epoch)");
  }

  private static void add(String name, String def, Type type, String doc) {
    ALL.put(name, new Key(name, def, type, doc));
  }

  static void require(String key) {
    if (!ALL.containsKey(key)) {
      throw new IllegalArgumentException("undeclared configuration key: " + key);
    }
  }
}
