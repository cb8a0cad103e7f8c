package io.sparklstm.cli;

import io.sparklstm.data.Example;
import io.sparklstm.data.Vocabulary;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.spark.ContentHash;
import io.sparklstm.spark.IdxSource;
import io.sparklstm.spark.TableSource;
import io.sparklstm.spark.TextSource;
import io.sparklstm.spark.TokenText;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The data a job configuration names, read by Spark: a tokenised text (language model) or
 * labelled examples (classification), with its vocabulary, the model shape it implies, and a
 * fingerprint that checkpoints record: sizes and a hash of the content as the model sees it
 * (token ids, labels, feature values), found in a pass the job makes anyway.
 */
record JobData(Vocabulary vocabulary, TokenText trainText, TokenText validationText,
    JavaRDD<Example> trainExamples, JavaRDD<Example> validationExamples, ModelSpec spec,
    Map<String, String> fingerprint) {

  /** The data, cut for {@code partitions} training shards; {@code known}: a run's vocabulary. */
  static JobData load(JavaSparkContext sc, JobConfig cfg, Vocabulary known, int partitions)
      throws IOException {
    String format = cfg.string("data.format");
    boolean lm = cfg.string("task").equals("language-model");
    requireExists(sc, "data.train", cfg.string("data.train"));
    if (lm && format.equals("text")) {
      return text(sc, cfg, known, partitions);
    }
    if (!lm && format.equals("idx")) {
      return idx(sc, cfg, partitions);
    }
    if (!lm && !format.equals("text")) {
      return table(sc, cfg, known);
    }
    throw new JobConfig.ConfigException("data.format = " + format + " does not fit task = "
        + cfg.string("task") + ": a language model reads text");
  }

  private static JobData text(JavaSparkContext sc, JobConfig cfg, Vocabulary known,
      int partitions) throws IOException {
    String path = cfg.string("data.train");
    JavaRDD<String> lines = TextSource.lines(sc, path);
    boolean words = cfg.string("vocab.level").equals("word");
    Vocabulary vocab = known != null ? known
        : TextSource.vocabulary(lines, words, cfg.integer("vocab.min.count"));
    TokenText all = TokenText.of(lines.map(vocab::encodeLine));
    if (all.length() == 0 || vocab.size() <= 1) {
      throw new JobConfig.ConfigException("data.train " + path + " holds no text");
    }
    TokenText train;
    TokenText validation;
    String valPath = cfg.string("data.validation");
    if (!valPath.isEmpty()) {
      requireExists(sc, "data.validation", valPath);
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
    return new JobData(vocab, train, validation.length() > 1 ? validation : null, null, null,
        spec, fingerprint);
  }

  /** The configured language model over {@code vocab}. */
  static ModelSpec languageModelSpec(JobConfig cfg, Vocabulary vocab) {
    return cfg.string("model.input").equals("embedding")
        ? new ModelSpec(InputKind.EMBEDDING, vocab.size(), cfg.integer("model.embedding"),
            cfg.integer("model.hidden"), cfg.integer("model.layers"), HeadKind.EVERY_STEP,
            vocab.size())
        : ModelSpec.languageModel(vocab.size(), cfg.integer("model.hidden"),
            cfg.integer("model.layers"));
  }

  private static JobData idx(JavaSparkContext sc, JobConfig cfg, int partitions)
      throws IOException {
    int classes = cfg.integer("model.classes");
    requireExists(sc, "data.train.labels", cfg.string("data.train.labels"));
    JavaRDD<Example> train = IdxSource.examples(sc, cfg.string("data.train"),
        cfg.string("data.train.labels"), classes, partitions);
    JavaRDD<Example> validation = null;
    if (!cfg.string("data.validation").isEmpty()) {
      requireExists(sc, "data.validation", cfg.string("data.validation"));
      requireExists(sc, "data.validation.labels", cfg.string("data.validation.labels"));
      validation = IdxSource.examples(sc, cfg.string("data.validation"),
          cfg.string("data.validation.labels"), classes, partitions);
    }
    Example first = train.first();
    ModelSpec spec = new ModelSpec(InputKind.DENSE, first.width(), 0, cfg.integer("model.hidden"),
        cfg.integer("model.layers"), HeadKind.LAST_STEP, classes);
    return new JobData(null, null, null, train, validation, spec,
        fingerprint("idx", "examples", ContentHash.ofExamples(train)));
  }

  /** Labelled texts (csv, parquet, labelled-dirs) or, with dense input, Parquet features. */
  private static JobData table(JavaSparkContext sc, JobConfig cfg, Vocabulary known)
      throws IOException {
    int classes = cfg.integer("model.classes");
    String format = cfg.string("data.format");
    String path = cfg.string("data.train");
    String valPath = cfg.string("data.validation");
    if (!valPath.isEmpty()) {
      requireExists(sc, "data.validation", valPath);
    }
    int maxLength = cfg.integer("text.max.length");
    int hidden = cfg.integer("model.hidden");
    int layers = cfg.integer("model.layers");
    if (cfg.string("model.input").equals("dense")) {
      if (!format.equals("parquet")) {
        throw new JobConfig.ConfigException("model.input = dense needs data.format = parquet "
            + "(feature sequences) or idx");
      }
      JavaRDD<Example> train = TableSource.features(sc, path, classes);
      Example first = train.first();
      ModelSpec spec = new ModelSpec(InputKind.DENSE, first.width(), 0, hidden, layers,
          HeadKind.LAST_STEP, classes);
      return new JobData(null, null, null, train, valPath.isEmpty() ? null
          : TableSource.features(sc, valPath, classes), spec,
          fingerprint("features", "examples", ContentHash.ofExamples(train)));
    }
    JavaRDD<TableSource.LabelledText> texts = TableSource.texts(sc, format, path, classes);
    boolean words = cfg.string("vocab.level").equals("word");
    Vocabulary vocab = known != null ? known
        : TableSource.vocabulary(texts, words, cfg.integer("vocab.min.count"));
    JavaRDD<Example> train = TableSource.encode(texts, vocab, maxLength);
    ContentHash content = ContentHash.ofExamples(train);
    if (content.count() == 0) {
      throw new JobConfig.ConfigException("data.train " + path + " holds no labelled texts");
    }
    JavaRDD<Example> validation = valPath.isEmpty() ? null : TableSource.encode(
        TableSource.texts(sc, format, valPath, classes), vocab, maxLength);
    ModelSpec spec = cfg.string("model.input").equals("embedding")
        ? new ModelSpec(InputKind.EMBEDDING, vocab.size(), cfg.integer("model.embedding"), hidden,
            layers, HeadKind.LAST_STEP, classes)
        : new ModelSpec(InputKind.TOKENS, vocab.size(), 0, hidden, layers, HeadKind.LAST_STEP,
            classes);
    Map<String, String> fingerprint = fingerprint("texts", "examples", content);
    fingerprint.put("vocabulary", String.valueOf(vocab.size()));
    return new JobData(vocab, null, null, train, validation, spec, fingerprint);
  }

  private static Map<String, String> fingerprint(String kind, String unit, ContentHash h) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("data", kind);
    f.put(unit, String.valueOf(h.count()));
    f.put("content hash", h.hex());
    return f;
  }

  static void requireExists(JavaSparkContext sc, String key, String path) throws IOException {
    if (path.isEmpty()) {
      throw new JobConfig.ConfigException(key + " is required for this data.format");
    }
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(sc.hadoopConfiguration());
    FileStatus[] matches = fs.globStatus(p);
    if (matches == null || matches.length == 0) {
      throw new JobConfig.ConfigException(key + ": no file or directory matches " + path);
    }
  }
}
