package io.sparklstm.ml;

import io.sparklstm.data.Example;
import io.sparklstm.data.Vocabulary;
import io.sparklstm.ml.param.ClassificationParams;
import io.sparklstm.ml.param.EstimatorSetters;
import io.sparklstm.ml.param.Settings;
import io.sparklstm.ml.param.TaggingColumnParams;
import io.sparklstm.ml.param.TaggingParams;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ModelSpec.Pooling;
import io.sparklstm.spark.SparkTrainer;
import io.sparklstm.spark.TaggedSource;
import io.sparklstm.spark.TaggedSource.TaggedText;
import io.sparklstm.spark.Task;
import io.sparklstm.train.RoundRecord;
import io.sparklstm.train.TrainingState;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A sequence tagger: a tag for every token, from an (optionally bidirectional) LSTM's states at
 * its step, trained by parameter averaging on Spark exactly like {@code jobs/train} with
 * {@code task = tagging}. The tokens and tags columns hold string arrays, or strings split at
 * {@code separator}; a row's tokens and tags must be as many. The tags are the training data's
 * (sorted), the vocabulary its tokens seen {@code vocabMinCount} times. Of the classification
 * settings, {@code maxLength} (longer sentences fail) and {@code bidirectional} apply;
 * {@code classes} is the tag count found and {@code pooling} must stay {@code last}.
 *
 * <pre>{@code
 * LstmTaggerModel tagger = new LstmTagger().setTokensCol("tokens").setTagsCol("tags")
 *     .setInputKind("embedding").setEmbeddingSize(32).setHiddenSize(64)
 *     .setBidirectional(true).setEpochs(3)
 *     .fit(sentences);
 * tagger.transform(test).select("tokens", "predictedTags").show(false);
 * }</pre>
 */
public final class LstmTagger extends Estimator<LstmTaggerModel>
    implements EstimatorSetters<LstmTagger>, ClassificationParams, TaggingParams,
    TaggingColumnParams, MLWritable {
  private static final String WHO = "LstmTagger";
  private final String uid;

  public LstmTagger() {
    this(Identifiable.randomUID("lstmTagger"));
  }

  public LstmTagger(String uid) {
    this.uid = uid;
    Settings.setDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  public LstmTagger setTokensCol(String value) {
    set(tokensCol(), value);
    return this;
  }

  public LstmTagger setTagsCol(String value) {
    set(tagsCol(), value);
    return this;
  }

  public LstmTagger setPredictedTagsCol(String value) {
    set(predictedTagsCol(), value);
    return this;
  }

  public LstmTagger setSeparator(String value) {
    set(separator(), value);
    return this;
  }

  public LstmTagger setMaxLength(int value) {
    set(maxLength(), value);
    return this;
  }

  public LstmTagger setBidirectional(boolean value) {
    set(bidirectional(), value);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    LstmTaggerModel.requireStrings(schema, getTagsCol(), WHO);
    return LstmTaggerModel.appendSchema(schema, getTokensCol(), getPredictedTagsCol(), WHO);
  }

  @Override
  public LstmTaggerModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    if (getInputKind().equals("dense")) {
      throw new IllegalArgumentException(WHO + ": inputKind = dense does not fit a tagger, "
          + "which reads tokens");
    }
    if (getPoolingKind() != Pooling.LAST) {
      throw new IllegalArgumentException(WHO + ": pooling = " + getPooling() + " does not fit "
          + "a tagger, whose head reads every step");
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession()
        .sparkContext());
    String separator = getSeparator();
    int maxLength = getMaxLength();
    String tokensCol = getTokensCol();
    String tagsCol = getTagsCol();
    JavaRDD<TaggedText> texts = dataset.select(tokensCol, tagsCol).toJavaRDD().zipWithIndex()
        .map(t -> {
          String at = WHO + ": row " + (t._2 + 1) + " of the training data";
          String[] tokens = TaggedSource.items(t._1.get(0), separator, at,
              "column '" + tokensCol + "'");
          String[] tags = TaggedSource.items(t._1.get(1), separator, at,
              "column '" + tagsCol + "'");
          if (tokens.length != tags.length) {
            throw new IllegalArgumentException(at + ": " + tokens.length + " tokens but "
                + tags.length + " tags; expected a tag per token");
          }
          if (tokens.length > maxLength) {
            throw new IllegalArgumentException(at + ": " + tokens.length + " tokens, more than "
                + "maxLength = " + maxLength);
          }
          return new TaggedText(tokens, tags, at);
        });
    List<String> tags = TaggedSource.tagSet(texts);
    if (tags.size() < 2) {
      throw new IllegalArgumentException(WHO + ": column '" + tagsCol + "' holds " + tags.size()
          + " distinct tag(s) " + tags + "; a tagger needs at least 2");
    }
    Vocabulary vocab = TaggedSource.vocabulary(texts, splitTokensTokenizer(TaggingParams.TOKENS_SPLIT), getVocabMinCount(),
        getVocabMaxSize(), WHO + ": column '" + tokensCol + "'");
    JavaRDD<Example> examples = TaggedSource.encode(texts, vocab, tags);
    ModelSpec spec = Trainers.spec(this, Task.TAGGING, Trainers.tokenInput(this), vocab.size(),
        tags.size(), getBidirectional(), Pooling.LAST);
    SparkTrainer trainer = Trainers.trainer(sc, this, spec, maxLength, getNumPartitions());
    List<RoundRecord> rounds = new ArrayList<>();
    TrainingState end = trainer.train(Task.TAGGING, examples, trainer.initialState(),
        (r, s) -> rounds.add(r));
    String data = "tagged columns " + tokensCol + ", " + tagsCol + " vocabulary=" + vocab.size()
        + " tags=" + tags.size();
    Fitted fitted = new Fitted(spec, vocab, tags, end, Trainers.provenance(sc, getSeed(), data));
    LstmTaggerModel model = new LstmTaggerModel(uid(), fitted)
        .withSummary(new TrainingSummary(rounds, new double[0]));
    model.setParent(this);
    copyValues(model, ParamMap.empty());
    model.set(model.classes(), tags.size());
    return model;
  }

  @Override
  public LstmTagger copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new LstmWriter(this, null, null);
  }

  public static MLReader<LstmTagger> read() {
    return new LstmReader<>(LstmTagger.class, (uid, f, c) -> new LstmTagger(uid));
  }

  public static LstmTagger load(String path) {
    return read().load(path);
  }
}
