package io.sparklstm.cli;

import io.sparklstm.data.Example;
import io.sparklstm.data.Vocabulary;
import io.sparklstm.io.DataFiles;
import io.sparklstm.io.SavedModel;
import io.sparklstm.nn.Dropout;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.ModelSpec.Pooling;
import io.sparklstm.spark.ContentHash;
import io.sparklstm.spark.IdxSource;
import io.sparklstm.spark.TableSource;
import io.sparklstm.spark.TextSource;
import io.sparklstm.spark.TokenText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The data a job configuration names, read by Spark: a tokenised text (language model) or
 * labelled examples (classification), with its vocabulary, class names, the model shape it
 * implies, and a fingerprint that checkpoints record: sizes and a hash of the content as the
 * model sees it (token ids, labels, feature values), found in a pass the job makes anyway. Data
 * that would train a useless model fails here, before training: a vocabulary of nothing but the
 * unknown token, examples of one class only; classes without examples are warned about.
 */
record JobData(Vocabulary vocabulary, List<String> classes, TokenText trainText,
    TokenText validationText, JavaRDD<Example> trainExamples,
    JavaRDD<Example> validationExamples, ModelSpec spec, Map<String, String> fingerprint) {

  /**
   * The data of {@code cfg}, cut for {@code partitions} training shards; a resumed run keeps its
   * checkpoint's vocabulary and classes.
   */
  static JobData load(JavaSparkContext sc, JobConfig cfg, SavedModel resumed, int partitions)
      throws IOException {
    String format = cfg.string("data.format");
    boolean lm = cfg.string("task").equals("language-model");
    Vocabulary known = resumed == null ? null : resumed.vocabulary();
    if (lm && format.equals("text")) {
      requireData(sc, cfg, "data.train");
      return text(sc, cfg, known, partitions);
    }
    if (!lm && !format.equals("text")) {
      requireData(sc, cfg, "data.train");
      JobData data = format.equals("idx") ? idx(sc, cfg, partitions) : table(sc, cfg, known);
      if (resumed != null && !data.classes().equals(resumed.classes())) {
        throw new JobConfig.ConfigException("--resume: data.train " + cfg.string("data.train")
            + " holds classes " + data.classes() + " but the checkpoint was trained on "
            + resumed.classes());
      }
      return data;
    }
    throw new JobConfig.ConfigException("data.format = " + format + " does not fit task = "
        + cfg.string("task") + ": a language model reads text");
  }

  private static JobData text(JavaSparkContext sc, JobConfig cfg, Vocabulary known,
      int partitions) throws IOException {
    String path = cfg.string("data.train");
    JavaRDD<String> lines = TextSource.lines(sc, path);
    boolean words = cfg.string("vocab.level").equals("word");
    Vocabulary vocab = known != null ? known : vocabulary(lines, words, cfg, path);
    TokenText all = TokenText.of(lines.map(vocab::encodeLine));
    if (all.length() == 0) {
      throw new JobConfig.ConfigException("data.train " + path + " holds no text");
    }
    TokenText train;
    TokenText validation;
    String valPath = cfg.string("data.validation");
    if (!valPath.isEmpty()) {
      requireData(sc, cfg, "data.validation");
      train = all;
      validation = TokenText.of(TextSource.lines(sc, valPath).map(vocab::encodeLine));
    } else {
      long cut = (long) Math.floor(all.length() * (1 - cfg.number("data.validation.fraction")));
      train = all.slice(0, cut);
      validation = all.slice(cut, all.length());
    }
    long needed = (long) partitions * ((long) cfg.integer("train.batch")
        * cfg.integer("train.window") + 1);
    if (train.length() < needed) {
      throw new JobConfig.ConfigException("data.train " + path + " has " + train.length()
          + " tokens for training, shorter than one window: " + partitions + " partitions x "
          + cfg.integer("train.batch") + " streams x " + cfg.integer("train.window")
          + " steps need at least " + needed);
    }
    ModelSpec spec = languageModelSpec(cfg, vocab);
    Map<String, String> fingerprint = fingerprint("text", "tokens", all.content());
    fingerprint.put("vocabulary", String.valueOf(vocab.size()));
    if (!valPath.isEmpty()) {
      fingerprint.put("validation tokens", String.valueOf(validation.content().count()));
      fingerprint.put("validation content hash", validation.content().hex());
    }
    return new JobData(vocab, null, train, validation.length() > 1 ? validation : null, null,
        null, spec, fingerprint);
  }

  /**
   * The vocabulary of {@code texts}; fails when it holds nothing but the unknown token and the
   * newline, which would train a model on unknown tokens alone.
   */
  private static Vocabulary vocabulary(JavaRDD<String> texts, boolean words, JobConfig cfg,
      String path) {
    int minCount = cfg.integer("vocab.min.count");
    Vocabulary vocab = TextSource.vocabulary(texts, words, minCount);
    if (hasTokens(vocab)) {
      return vocab;
    }
    if (minCount > 1 && hasTokens(TextSource.vocabulary(texts, words, 1))) {
      throw new JobConfig.ConfigException("vocab.min.count = " + minCount + " leaves only the "
          + "unknown token: no " + (words ? "word" : "character") + " of data.train " + path
          + " occurs " + minCount + " times; lower vocab.min.count");
    }
    throw new JobConfig.ConfigException("data.train " + path + " holds no text");
  }

  private static boolean hasTokens(Vocabulary vocab) {
    return vocab.tokens().stream().anyMatch(t -> !t.equals(Vocabulary.UNKNOWN)
        && !t.equals(Vocabulary.NEWLINE));
  }

  /** The configured language model over {@code vocab}. */
  static ModelSpec languageModelSpec(JobConfig cfg, Vocabulary vocab) {
    if (cfg.flag("model.bidirectional")) {
      throw new JobConfig.ConfigException("model.bidirectional = true does not fit task = "
          + "language-model: a language model predicts each token from the ones before it; "
          + "bidirectional layers are for task = classification");
    }
    if (!cfg.string("model.pooling").equals("last")) {
      throw new JobConfig.ConfigException("model.pooling = " + cfg.string("model.pooling")
          + " does not fit task = language-model, whose head reads every step; pooling is for "
          + "task = classification");
    }
    return withLayerOptions(cfg, cfg.string("model.input").equals("embedding")
        ? new ModelSpec(InputKind.EMBEDDING, vocab.size(), cfg.integer("model.embedding"),
            cfg.integer("model.hidden"), cfg.integer("model.layers"), HeadKind.EVERY_STEP,
            vocab.size())
        : ModelSpec.languageModel(vocab.size(), cfg.integer("model.hidden"),
            cfg.integer("model.layers")));
  }

  /** {@code spec} with the configured directions, pooling and dropout. */
  private static ModelSpec withLayerOptions(JobConfig cfg, ModelSpec spec) {
    return spec.with(cfg.flag("model.bidirectional"), Pooling.of(cfg.string("model.pooling")),
        new Dropout(cfg.number("model.dropout.input"), cfg.number("model.dropout.recurrent"),
            cfg.number("model.dropout.output")));
  }

  private static JobData idx(JavaSparkContext sc, JobConfig cfg, int partitions)
      throws IOException {
    int classes = cfg.integer("model.classes");
    requireData(sc, cfg, "data.train.labels");
    JavaRDD<Example> train = IdxSource.examples(sc, cfg.string("data.train"),
        cfg.string("data.train.labels"), classes, partitions);
    JavaRDD<Example> validation = null;
    if (!cfg.string("data.validation").isEmpty()) {
      requireData(sc, cfg, "data.validation");
      requireData(sc, cfg, "data.validation.labels");
      validation = IdxSource.examples(sc, cfg.string("data.validation"),
          cfg.string("data.validation.labels"), classes, partitions);
    }
    List<String> names = TableSource.integerClasses(classes);
    ContentHash content = checkClasses(train, cfg.string("data.train"), names);
    Example first = train.first();
    ModelSpec spec = withLayerOptions(cfg, new ModelSpec(InputKind.DENSE, first.width(), 0,
        cfg.integer("model.hidden"), cfg.integer("model.layers"), HeadKind.LAST_STEP, classes));
    return new JobData(null, names, null, null, train, validation, spec,
        fingerprint("idx", "examples", content));
  }

  /** Labelled texts (csv, parquet, labelled-dirs) or, with dense input, Parquet features. */
  private static JobData table(JavaSparkContext sc, JobConfig cfg, Vocabulary known)
      throws IOException {
    int k = cfg.integer("model.classes");
    String format = cfg.string("data.format");
    String path = cfg.string("data.train");
    String valPath = cfg.string("data.validation");
    if (!valPath.isEmpty()) {
      requireData(sc, cfg, "data.validation");
    }
    List<String> classes = classNames(sc, format, path, k);
    int maxLength = cfg.integer("text.max.length");
    int hidden = cfg.integer("model.hidden");
    int layers = cfg.integer("model.layers");
    if (cfg.string("model.input").equals("dense")) {
      if (!format.equals("parquet")) {
        throw new JobConfig.ConfigException("model.input = dense needs data.format = parquet "
            + "(feature sequences) or idx");
      }
      JavaRDD<Example> train = TableSource.features(sc, path, k);
      ContentHash content = checkClasses(train, path, classes);
      Example first = train.first();
      ModelSpec spec = withLayerOptions(cfg, new ModelSpec(InputKind.DENSE, first.width(), 0,
          hidden, layers, HeadKind.LAST_STEP, k));
      return new JobData(null, classes, null, null, train, valPath.isEmpty() ? null
          : TableSource.features(sc, valPath, k), spec,
          fingerprint("features", "examples", content));
    }
    JavaRDD<TableSource.LabelledText> texts = TableSource.texts(sc, format, path, classes);
    boolean words = cfg.string("vocab.level").equals("word");
    Vocabulary vocab = known != null ? known
        : vocabulary(texts.map(TableSource.LabelledText::text), words, cfg, path);
    JavaRDD<Example> train = TableSource.encode(texts, vocab, maxLength);
    ContentHash content = checkClasses(train, path, classes);
    JavaRDD<Example> validation = valPath.isEmpty() ? null : TableSource.encode(
        TableSource.texts(sc, format, valPath, classes), vocab, maxLength);
    ModelSpec spec = withLayerOptions(cfg, cfg.string("model.input").equals("embedding")
        ? new ModelSpec(InputKind.EMBEDDING, vocab.size(), cfg.integer("model.embedding"), hidden,
            layers, HeadKind.LAST_STEP, k)
        : new ModelSpec(InputKind.TOKENS, vocab.size(), 0, hidden, layers, HeadKind.LAST_STEP,
            k));
    Map<String, String> fingerprint = fingerprint("texts", "examples", content);
    fingerprint.put("vocabulary", String.valueOf(vocab.size()));
    return new JobData(vocab, classes, null, null, train, validation, spec, fingerprint);
  }

  /**
   * The classes' names: the class directories of labelled-dirs (one per class of
   * model.classes), else the integer ids "0" .. "K-1".
   */
  private static List<String> classNames(JavaSparkContext sc, String format, String path, int k)
      throws IOException {
    if (!format.equals("labelled-dirs")) {
      return TableSource.integerClasses(k);
    }
    List<String> names = DataFiles.classNames(sc.hadoopConfiguration(), "data.train", path);
    if (names.size() != k) {
      throw new JobConfig.ConfigException("data.train " + path + " holds " + names.size()
          + " class directories " + names + " but model.classes = " + k + "; expected one "
          + "directory per class");
    }
    return names;
  }

  /**
   * The training examples' content hash and count (one pass), after failing when fewer than two
   * classes occur (nothing to tell apart) and warning about classes without examples.
   */
  private static ContentHash checkClasses(JavaRDD<Example> train, String path,
      List<String> classes) {
    ContentHash.Labelled labelled = ContentHash.ofExamples(train);
    Map<Integer, Long> counts = labelled.labels();
    long total = labelled.content().count();
    if (total == 0) {
      throw new JobConfig.ConfigException("data.train " + path + " holds no labelled examples");
    }
    if (counts.size() == 1) {
      throw new JobConfig.ConfigException("data.train " + path + " holds examples of one class "
          + "only ('" + classes.get(counts.keySet().iterator().next()) + "', " + total
          + " examples); a classifier needs examples of at least two classes");
    }
    List<String> missing = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      if (!counts.containsKey(c)) {
        missing.add(classes.get(c));
      }
    }
    if (!missing.isEmpty()) {
      System.err.println("warning: data.train " + path + " has no examples of " + missing.size()
          + " of its " + classes.size() + " classes: " + (missing.size() <= 10 ? missing
          : missing.subList(0, 10) + " ..."));
    }
    return labelled.content();
  }

  private static Map<String, String> fingerprint(String kind, String unit, ContentHash h) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("data", kind);
    f.put(unit, String.valueOf(h.count()));
    f.put("content hash", h.hex());
    return f;
  }

  /** Checks the files a configuration key names (see {@link DataFiles#check}). */
  private static void requireData(JavaSparkContext sc, JobConfig cfg, String key)
      throws IOException {
    String format = key.endsWith(".labels") ? "idx" : cfg.string("data.format");
    DataFiles.check(sc.hadoopConfiguration(), key, cfg.string(key), format);
  }
}
