package io.sparklstm.cli;

import static io.sparklstm.ml.param.ClassificationParams.BIDIRECTIONAL;
import static io.sparklstm.ml.param.ClassificationParams.CLASSES;
import static io.sparklstm.ml.param.ClassificationParams.POOLING;
import static io.sparklstm.ml.param.JobParams.DATA_FORMAT;
import static io.sparklstm.ml.param.JobParams.TASK;
import static io.sparklstm.ml.param.JobParams.TRAIN_LABELS_PATH;
import static io.sparklstm.ml.param.JobParams.TRAIN_PATH;
import static io.sparklstm.ml.param.JobParams.VALIDATION_LABELS_PATH;
import static io.sparklstm.ml.param.JobParams.VALIDATION_PATH;
import static io.sparklstm.ml.param.ModelParams.INPUT_KIND;
import static io.sparklstm.ml.param.TextParams.VOCAB_MIN_COUNT;

import io.sparklstm.data.Example;
import io.sparklstm.data.Tokenizer;
import io.sparklstm.data.Vocabulary;
import io.sparklstm.io.DataFiles;
import io.sparklstm.io.SavedModel;
import io.sparklstm.ml.Trainers;
import io.sparklstm.ml.param.JobSettings;
import io.sparklstm.ml.param.Setting;
import io.sparklstm.ml.param.TaggingParams;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.ModelSpec.Pooling;
import io.sparklstm.spark.ContentHash;
import io.sparklstm.spark.IdxSource;
import io.sparklstm.spark.SparkTrainer;
import io.sparklstm.spark.SparkTrainingConfig;
import io.sparklstm.spark.TableSource;
import io.sparklstm.spark.TaggedSource;
import io.sparklstm.spark.Task;
import io.sparklstm.spark.TextCensus;
import io.sparklstm.spark.TextSource;
import io.sparklstm.spark.TokenText;
import io.sparklstm.train.HeldOut;
import io.sparklstm.train.ModelSnapshot;
import io.sparklstm.train.TrainingState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The data a job configuration names, read by Spark for its task: a tokenised text (language
 * model) or labelled examples (classification), with its vocabulary, class names, the model
 * shape it implies, and a fingerprint that checkpoints record: sizes and a hash of the content as
 * the model sees it (token ids, labels, feature values), found in a pass the job makes anyway.
 * Data that would train a useless model fails here, before training: a vocabulary of nothing but
 * the unknown token, examples of one class only; classes without examples are warned about.
 *
 * @param <D> the task's data
 * @param validation held-out data, or null
 */
record JobData<D>(Task<D> task, D train, D validation, Vocabulary vocabulary,
    List<String> classes, ModelSpec spec, Map<String, String> fingerprint) {

  /** The data formats of tagged sentences. */
  private static final List<String> TAGGED_FORMATS = List.of("conll", "csv", "parquet");

  /** Where each task reads its data from (one function per task). */
  @FunctionalInterface
  private interface Source {
    JobData<?> read() throws IOException;
  }

  /** Seq2seq's place among the sources: its jobs branch to {@link Seq2SeqJobs} before JobData. */
  private static final Source SEQ2SEQ = () -> {
    throw new IllegalStateException("task = seq2seq is read by Seq2SeqJobs, not JobData");
  };

  /** The data formats of classification. */
  private static final List<String> CLASSIFIED_FORMATS =
      List.of("idx", "labelled-dirs", "csv", "parquet");

  /** Trains the task on the training data from {@code start}. */
  TrainingState train(SparkTrainer trainer, TrainingState start, SparkTrainer.Steering steering) {
    return trainer.trainSteered(task, train, start, steering);
  }

  /** The held-out figures of {@code model}, or null without held-out data. */
  HeldOut evaluate(SparkTrainer trainer, ModelSnapshot model) {
    return validation == null ? null : trainer.evaluate(task, model, validation);
  }

  /** The window of the task's network: the longest sequence, or the TBPTT window. */
  int window(JobSettings s) {
    // seq2seq: no JobData holds it (Seq2SeqJobs sizes its networks); its longest sequence
    return task.choose(s.getMaxLength(), s.getWindow(), s.getMaxLength(), s.getMaxLength());
  }

  /**
   * The data of {@code cfg}, cut for {@code partitions} training shards; a resumed run keeps its
   * checkpoint's vocabulary and classes.
   */
  static JobData<?> load(JavaSparkContext sc, JobConfig cfg, SavedModel resumed, int partitions)
      throws IOException {
    JobSettings s = cfg.settings();
    String format = s.getDataFormat();
    Vocabulary known = resumed == null ? null : resumed.vocabulary();
    // seq2seq: its format is checked by Seq2SeqJobs, and its source below throws
    if (cfg.task().choose(!CLASSIFIED_FORMATS.contains(format), !format.equals("text"),
        !TAGGED_FORMATS.contains(format), false)) {
      throw new JobConfig.ConfigException(DATA_FORMAT.confKey() + " = " + format + " does not "
          + "fit " + TASK.confKey() + " = " + s.getTask() + ": " + cfg.task().choose(
              "a classifier reads " + String.join(", ", CLASSIFIED_FORMATS), "a language model "
              + "reads text", "a tagger reads " + String.join(", ", TAGGED_FORMATS), ""));
    }
    requireData(sc, s, TRAIN_PATH);
    return cfg.task().<Source>choose(() -> {
      JobData<JavaRDD<Example>> data = format.equals("idx") ? idx(sc, s, partitions)
          : table(sc, s, known);
      if (resumed != null && !data.classes().equals(resumed.classes())) {
        throw new JobConfig.ConfigException("--resume: " + TRAIN_PATH.confKey() + " "
            + s.getTrainPath() + " holds classes " + data.classes() + " but the checkpoint was "
            + "trained on " + resumed.classes());
      }
      return data;
    }, () -> text(sc, cfg, known, partitions), () -> tagged(sc, s, resumed), SEQ2SEQ).read();
  }

  /**
   * The data {@code jobs/evaluate} scores {@code model} on: a text, or labelled examples in the
   * model's training format ({@code labels}: an IDX classifier's labels file).
   */
  static JobData<?> evaluation(JavaSparkContext sc, JobSettings s, SavedModel model, String path,
      String labels) throws IOException {
    Configuration conf = sc.hadoopConfiguration();
    Task<?> task = Task.named(s.getTask());
    if (labels != null && !(task == Task.CLASSIFICATION && s.getDataFormat().equals("idx"))) {
      throw new JobConfig.ConfigException("--labels is for an IDX classifier's labels file; this "
          + "model reads " + DATA_FORMAT.confKey() + " = " + s.getDataFormat() + " ("
          + TASK.confKey() + " = " + s.getTask() + "), whose labels are in --data");
    }
    return task.<Source>choose(() -> {
      String format = s.getDataFormat();
      DataFiles.check(conf, "--data", path, format);
      List<String> names = model.classes();
      JavaRDD<Example> examples;
      if (format.equals("idx")) {
        DataFiles.check(conf, "--labels", labels, "idx");
        examples = IdxSource.examples(sc, path, labels, names.size(),
            SparkTrainingConfig.partitions(sc, 0));
      } else if (model.vocabulary() == null) {
        examples = TableSource.features(sc, path, names.size());
      } else {
        examples = TableSource.encode(TableSource.texts(sc, format, path, names),
            model.vocabulary(), s.getMaxLength());
      }
      return new JobData<>(Task.CLASSIFICATION, null, examples, model.vocabulary(), names,
          model.spec(), Map.of());
    }, () -> {
      DataFiles.check(conf, "--data", path, "text");
      TokenText text = TokenText.of(TextSource.lines(sc, path)
          .map(model.vocabulary()::encodeLine));
      return new JobData<>(Task.LANGUAGE_MODEL, null, text, model.vocabulary(), null,
          model.spec(), Map.of());
    }, () -> {
      DataFiles.check(conf, "--data", path, s.getDataFormat());
      JavaRDD<Example> examples = TaggedSource.encode(taggedTexts(sc, s, path),
          model.vocabulary(), model.classes());
      return new JobData<>(Task.TAGGING, null, examples, model.vocabulary(), model.classes(),
          model.spec(), Map.of());
    }, SEQ2SEQ).read();
  }

  /**
   * Tagged sentences (CoNLL, CSV or Parquet): the word vocabulary of their tokens, their tags
   * (sorted) as the outputs; a resumed run keeps its checkpoint's vocabulary and must see the
   * same tags.
   */
  private static JobData<JavaRDD<Example>> tagged(JavaSparkContext sc, JobSettings s,
      SavedModel resumed) throws IOException {
    String path = s.getTrainPath();
    String valPath = s.getValidationPath();
    if (!valPath.isEmpty()) {
      requireData(sc, s, VALIDATION_PATH);
    }
    if (s.getPoolingKind() != Pooling.LAST) {
      throw new JobConfig.ConfigException(POOLING.confKey() + " = " + s.getPooling()
          + " does not fit " + TASK.confKey() + " = tagging, whose head reads every step");
    }
    JavaRDD<TaggedSource.TaggedText> texts = taggedTexts(sc, s, path);
    List<String> tags = TaggedSource.tagSet(texts);
    if (resumed != null && !tags.equals(resumed.classes())) {
      throw new JobConfig.ConfigException("--resume: " + TRAIN_PATH.confKey() + " " + path
          + " holds tags " + tags + " but the checkpoint was trained on " + resumed.classes());
    }
    Vocabulary vocab = resumed != null ? resumed.vocabulary()
        : TaggedSource.vocabulary(texts, s.splitTokensTokenizer(TaggingParams.TOKENS_SPLIT),
            s.getVocabMinCount(), s.getVocabMaxSize(), TRAIN_PATH.confKey() + " " + path);
    if (!hasTokens(vocab)) {
      throw new JobConfig.ConfigException(VOCAB_MIN_COUNT.confKey() + " = "
          + s.getVocabMinCount() + " leaves only the unknown token: no token of "
          + TRAIN_PATH.confKey() + " " + path + " occurs that often; lower it");
    }
    JavaRDD<Example> train = TaggedSource.encode(texts, vocab, tags);
    ContentHash content = checkClasses(train, path, tags, "tokens", "tag", "a tagger");
    JavaRDD<Example> validation = valPath.isEmpty() ? null
        : TaggedSource.encode(taggedTexts(sc, s, valPath), vocab, tags);
    ModelSpec spec = Trainers.spec(s, Task.TAGGING, Trainers.tokenInput(s), vocab.size(),
        tags.size(), s.getBidirectional(), Pooling.LAST);
    Map<String, String> fingerprint = fingerprint("tagged", "sentences", content);
    fingerprint.put("vocabulary", String.valueOf(vocab.size()));
    return new JobData<>(Task.TAGGING, train, validation, vocab, tags, spec, fingerprint);
  }

  /** The tagged sentences at {@code path} in the configured format. */
  private static JavaRDD<TaggedSource.TaggedText> taggedTexts(JavaSparkContext sc,
      JobSettings s, String path) {
    return s.getDataFormat().equals("conll") ? TaggedSource.conll(sc, path, s.getMaxLength())
        : TableSource.tagged(sc, s.getDataFormat(), path, s.getSeparator(), s.getMaxLength());
  }

  private static JobData<TokenText> text(JavaSparkContext sc, JobConfig cfg, Vocabulary known,
      int partitions) throws IOException {
    JobSettings s = cfg.settings();
    String path = s.getTrainPath();
    // One pass finds the vocabulary, the text's length and its content hash; the next encodes it.
    TextCensus census = TextCensus.of(TextSource.lines(sc, path), s.textTokenizer());
    Vocabulary vocab = known != null ? known : vocabulary(census, s, path);
    TokenText all = census.encode(vocab);
    if (all.length() == 0) {
      throw new JobConfig.ConfigException(TRAIN_PATH.confKey() + " " + path + " holds no text");
    }
    TokenText train;
    TokenText validation;
    String valPath = s.getValidationPath();
    if (!valPath.isEmpty()) {
      requireData(sc, s, VALIDATION_PATH);
      train = all;
      validation = TokenText.of(TextSource.lines(sc, valPath).map(vocab::encodeLine));
    } else {
      long cut = (long) Math.floor(all.length() * (1 - s.getValidationFraction()));
      train = all.slice(0, cut);
      validation = all.slice(cut, all.length());
    }
    int streams = s.batchPerPartition(partitions);
    long needed = (long) partitions * ((long) streams * s.getWindow() + 1);
    if (train.length() < needed) {
      throw new JobConfig.ConfigException(TRAIN_PATH.confKey() + " " + path + " has "
          + train.length() + " tokens for training, shorter than one window: " + partitions
          + " partitions x " + streams + " streams x " + s.getWindow()
          + " steps need at least " + needed);
    }
    ModelSpec spec = languageModelSpec(cfg, vocab);
    Map<String, String> fingerprint = fingerprint("text", "tokens", all.content());
    fingerprint.put("vocabulary", String.valueOf(vocab.size()));
    if (!valPath.isEmpty()) {
      fingerprint.put("validation tokens", String.valueOf(validation.content().count()));
      fingerprint.put("validation content hash", validation.content().hex());
    }
    return new JobData<>(Task.LANGUAGE_MODEL, train, validation.length() > 1 ? validation
        : null, vocab, null, spec, fingerprint);
  }

  /**
   * The vocabulary of {@code texts}; fails when it holds nothing but the unknown token and the
   * newline, which would train a model on unknown tokens alone.
   */
  private static Vocabulary vocabulary(TextCensus texts, JobSettings s, String path) {
    int minCount = s.getVocabMinCount();
    Tokenizer tokenizer = s.textTokenizer();
    Vocabulary vocab = texts.vocabulary(minCount, s.getVocabMaxSize());
    if (hasTokens(vocab)) {
      return vocab;
    }
    if (minCount > 1 && hasTokens(texts.vocabulary(1, 0))) {
      String key = VOCAB_MIN_COUNT.confKey();
      throw new JobConfig.ConfigException(key + " = " + minCount + " leaves only the "
          + "unknown token: no " + (tokenizer.words() ? "word" : "character") + " of "
          + TRAIN_PATH.confKey() + " " + path + " occurs " + minCount + " times; lower " + key);
    }
    throw new JobConfig.ConfigException(TRAIN_PATH.confKey() + " " + path + " holds no text");
  }

  /** The configured language model over {@code vocab}: dropout, but one direction, no pooling. */
  static ModelSpec languageModelSpec(JobConfig cfg, Vocabulary vocab) {
    JobSettings s = cfg.settings();
    String task = TASK.confKey() + " = " + Task.LANGUAGE_MODEL.name();
    if (s.getBidirectional()) {
      throw new JobConfig.ConfigException(BIDIRECTIONAL.confKey() + " = true does not fit "
          + task + ": a language model predicts each token from the ones before it; "
          + "bidirectional layers are for " + TASK.confKey() + " = classification");
    }
    if (s.getPoolingKind() != Pooling.LAST) {
      throw new JobConfig.ConfigException(POOLING.confKey() + " = " + s.getPooling()
          + " does not fit " + task + ", whose head reads every step; pooling is for "
          + TASK.confKey() + " = classification");
    }
    return Trainers.spec(s, Task.LANGUAGE_MODEL, Trainers.tokenInput(s), vocab.size(),
        vocab.size(), false, Pooling.LAST);
  }

  private static boolean hasTokens(Vocabulary vocab) {
    return vocab.tokens().stream().anyMatch(t -> !t.equals(Vocabulary.UNKNOWN)
        && !t.equals(Vocabulary.NEWLINE));
  }

  private static JobData<JavaRDD<Example>> idx(JavaSparkContext sc, JobSettings s,
      int partitions) throws IOException {
    int classes = s.getClasses();
    requireData(sc, s, TRAIN_LABELS_PATH);
    JavaRDD<Example> train = IdxSource.examples(sc, s.getTrainPath(), s.getTrainLabelsPath(),
        classes, partitions);
    JavaRDD<Example> validation = null;
    if (!s.getValidationPath().isEmpty()) {
      requireData(sc, s, VALIDATION_PATH);
      requireData(sc, s, VALIDATION_LABELS_PATH);
      validation = IdxSource.examples(sc, s.getValidationPath(), s.getValidationLabelsPath(),
          classes, partitions);
    }
    List<String> names = TableSource.integerClasses(classes);
    ContentHash content = checkClasses(train, s.getTrainPath(), names);
    ModelSpec spec = Trainers.spec(s, Task.CLASSIFICATION, InputKind.DENSE,
        train.first().width(), classes, s.getBidirectional(), s.getPoolingKind());
    return new JobData<>(Task.CLASSIFICATION, train, validation, null, names, spec,
        fingerprint("idx", "examples", content));
  }

  /** Labelled texts (csv, parquet, labelled-dirs) or, with dense input, Parquet features. */
  private static JobData<JavaRDD<Example>> table(JavaSparkContext sc, JobSettings s,
      Vocabulary known) throws IOException {
    int k = s.getClasses();
    String format = s.getDataFormat();
    String path = s.getTrainPath();
    String valPath = s.getValidationPath();
    if (!valPath.isEmpty()) {
      requireData(sc, s, VALIDATION_PATH);
    }
    List<String> classes = classNames(sc, format, path, k);
    if (s.getInputKind().equals("dense")) {
      if (!format.equals("parquet")) {
        throw new JobConfig.ConfigException(INPUT_KIND.confKey() + " = dense needs "
            + DATA_FORMAT.confKey() + " = parquet (feature sequences) or idx");
      }
      JavaRDD<Example> train = TableSource.features(sc, path, k);
      ContentHash content = checkClasses(train, path, classes);
      ModelSpec spec = Trainers.spec(s, Task.CLASSIFICATION, InputKind.DENSE,
          train.first().width(), k, s.getBidirectional(), s.getPoolingKind());
      return new JobData<>(Task.CLASSIFICATION, train, valPath.isEmpty() ? null
          : TableSource.features(sc, valPath, k), null, classes, spec,
          fingerprint("features", "examples", content));
    }
    JavaRDD<TableSource.LabelledText> texts = TableSource.texts(sc, format, path, classes);
    Vocabulary vocab = known != null ? known
        : vocabulary(TextCensus.of(texts.map(TableSource.LabelledText::text),
            s.textTokenizer()), s, path);
    int maxLength = s.getMaxLength();
    JavaRDD<Example> train = TableSource.encode(texts, vocab, maxLength);
    ContentHash content = checkClasses(train, path, classes);
    JavaRDD<Example> validation = valPath.isEmpty() ? null : TableSource.encode(
        TableSource.texts(sc, format, valPath, classes), vocab, maxLength);
    InputKind input = Trainers.tokenInput(s);
    ModelSpec spec = Trainers.spec(s, Task.CLASSIFICATION, input, vocab.size(), k,
        s.getBidirectional(), s.getPoolingKind());
    Map<String, String> fingerprint = fingerprint("texts", "examples", content);
    fingerprint.put("vocabulary", String.valueOf(vocab.size()));
    return new JobData<>(Task.CLASSIFICATION, train, validation, vocab, classes, spec,
        fingerprint);
  }

  /**
   * The classes' names: the class directories of labelled-dirs (one per class of
   * model.classes), else the integer ids "0" .. "K-1".
   */
  /** The class names of labelled data: its class directories (labelled-dirs), else "0".."K-1". */
  static List<String> classNames(JavaSparkContext sc, String format, String path, int k)
      throws IOException {
    if (!format.equals("labelled-dirs")) {
      return TableSource.integerClasses(k);
    }
    List<String> names = DataFiles.classNames(sc.hadoopConfiguration(), TRAIN_PATH.confKey(),
        path);
    if (names.size() != k) {
      throw new JobConfig.ConfigException(TRAIN_PATH.confKey() + " " + path + " holds "
          + names.size() + " class directories " + names + " but " + CLASSES.confKey() + " = "
          + k + "; expected one directory per class");
    }
    return names;
  }

  /**
   * The training examples' content hash and count (one pass), after failing when fewer than two
   * classes occur (nothing to tell apart) and warning about classes without examples.
   */
  private static ContentHash checkClasses(JavaRDD<Example> train, String path,
      List<String> classes) {
    return checkClasses(train, path, classes, "examples", "class", "a classifier");
  }

  /** The same for {@code units} of a {@code label} each, which {@code model} tells apart. */
  private static ContentHash checkClasses(JavaRDD<Example> train, String path,
      List<String> classes, String units, String label, String model) {
    ContentHash.Labelled labelled = ContentHash.ofExamples(train);
    Map<Integer, Long> counts = labelled.labels();
    long total = labelled.content().count();
    if (total == 0) {
      throw new JobConfig.ConfigException("data.train " + path + " holds no labelled examples");
    }
    if (counts.size() == 1) {
      throw new JobConfig.ConfigException("data.train " + path + " holds " + units + " of one "
          + label + " only ('" + classes.get(counts.keySet().iterator().next()) + "', "
          + counts.values().iterator().next() + " " + units + "); " + model + " needs " + units
          + " of at least two " + label + (label.equals("class") ? "es" : "s"));
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
  private static void requireData(JavaSparkContext sc, JobSettings s, Setting.Texts key)
      throws IOException {
    boolean labels = key == TRAIN_LABELS_PATH || key == VALIDATION_LABELS_PATH;
    DataFiles.check(sc.hadoopConfiguration(), key.confKey(), key.get(s),
        labels ? "idx" : s.getDataFormat());
  }
}
