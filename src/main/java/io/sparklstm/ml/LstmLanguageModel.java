package io.sparklstm.ml;

import io.sparklstm.data.Vocabulary;
import io.sparklstm.ml.param.EstimatorSetters;
import io.sparklstm.ml.param.LanguageModelParams;
import io.sparklstm.ml.param.Settings;
import io.sparklstm.ml.param.TextColumnParams;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.ModelSpec.Pooling;
import io.sparklstm.spark.SparkTrainer;
import io.sparklstm.spark.Task;
import io.sparklstm.spark.TextCensus;
import io.sparklstm.spark.TextSource;
import io.sparklstm.spark.TokenText;
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
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A character or word language model over a text column, one line per row in reading order
 * (what {@code spark.read().text(path)} gives, or {@link #readText} with strict UTF-8 checks):
 * truncated BPTT on contiguous shards, parameter-averaged on Spark exactly like
 * {@code jobs/train} with {@code task = language-model}. The last {@code validationFraction} of
 * the text is held out and evaluated after every epoch ({@link TrainingSummary}).
 *
 * <pre>{@code
 * LstmTextModel lm = new LstmLanguageModel().setHiddenSize(128).setEpochs(3)
 *     .fit(LstmLanguageModel.readText(spark, "data/moby-dick.txt"));
 * lm.transform(lines).select("value", "bitsPerToken").show();
 * lm.generate(prompts).select("prompt", "generated").show(false);
 * }</pre>
 */
public final class LstmLanguageModel extends Estimator<LstmTextModel>
    implements EstimatorSetters<LstmLanguageModel>, LanguageModelParams, TextColumnParams,
    MLWritable {
  private static final String WHO = "LstmLanguageModel";
  private final String uid;

  public LstmLanguageModel() {
    this(Identifiable.randomUID("lstmLanguageModel"));
  }

  public LstmLanguageModel(String uid) {
    this.uid = uid;
    Settings.setDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  public LstmLanguageModel setWindow(int value) {
    set(window(), value);
    return this;
  }

  public LstmLanguageModel setValidationFraction(double value) {
    set(validationFraction(), value);
    return this;
  }

  public LstmLanguageModel setInputCol(String value) {
    set(inputCol(), value);
    return this;
  }

  /**
   * The lines of a text at any Hadoop path (file, directory, glob, .gz), in reading order, in
   * a column {@code value}; malformed UTF-8 fails naming the file and byte offset.
   */
  public static Dataset<Row> readText(SparkSession spark, String path) {
    JavaRDD<String> lines = TextSource.lines(JavaSparkContext.fromSparkContext(
        spark.sparkContext()), path);
    return spark.createDataset(lines.rdd(), org.apache.spark.sql.Encoders.STRING()).toDF("value");
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return LstmTextModel.scoreSchema(schema, this, WHO);
  }

  @Override
  public LstmTextModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    if (getInputKind().equals("dense")) {
      throw new IllegalArgumentException(WHO + ": inputKind = dense does not fit a language "
          + "model, which reads text");
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession()
        .sparkContext());
    String col = getInputCol();
    JavaRDD<String> lines = dataset.select(col).toJavaRDD().map(r -> {
      if (r.isNullAt(0)) {
        throw new IllegalArgumentException(WHO + ": column '" + col + "' holds a null line");
      }
      return r.getString(0);
    });
    TextCensus census = TextCensus.of(lines, textTokenizer());
    Vocabulary vocab = census.vocabulary(getVocabMinCount(), getVocabMaxSize());
    TokenText all = census.encode(vocab);
    if (all.length() == 0 || vocab.size() <= 1) {
      throw new IllegalArgumentException(WHO + ": column '" + col + "' holds no text");
    }
    long cut = (long) Math.floor(all.length() * (1 - getValidationFraction()));
    TokenText train = all.slice(0, cut);
    TokenText heldOut = all.slice(cut, all.length());
    InputKind input = Trainers.tokenInput(this);
    ModelSpec spec = Trainers.spec(this, Task.LANGUAGE_MODEL, input, vocab.size(), vocab.size(),
        false, Pooling.LAST);
    SparkTrainer trainer = Trainers.trainer(sc, this, spec, getWindow(), getNumPartitions());
    int partitions = trainer.config().partitions();
    int streams = trainer.config().batchSize();
    long needed = partitions * ((long) streams * getWindow() + 1);
    if (train.length() < needed) {
      throw new IllegalArgumentException(WHO + ": column '" + col + "' has " + train.length()
          + " tokens for training, shorter than one window: " + partitions + " partitions x "
          + streams + " streams x " + getWindow() + " steps need at least " + needed);
    }
    List<RoundRecord> rounds = new ArrayList<>();
    List<Double> heldOutBits = new ArrayList<>();
    TrainingState end = trainer.train(Task.LANGUAGE_MODEL, train, trainer.initialState(),
        (r, s) -> {
          rounds.add(r);
          if (s.round() == 0 && heldOut.length() > 1) {
            heldOutBits.add(trainer.evaluate(Task.LANGUAGE_MODEL, s.model(), heldOut).metric());
          }
        });
    String data = "text tokens=" + all.length() + " vocabulary=" + vocab.size() + " hash="
        + Integer.toHexString(vocab.tokens().hashCode());
    Fitted fitted = new Fitted(spec, vocab, end, Trainers.provenance(sc, getSeed(), data));
    LstmTextModel model = new LstmTextModel(uid(), fitted).withSummary(new TrainingSummary(
        rounds, heldOutBits.stream().mapToDouble(Double::doubleValue).toArray()));
    model.setParent(this);
    return copyValues(model, ParamMap.empty());
  }

  @Override
  public LstmLanguageModel copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new LstmWriter(this, null, null);
  }

  public static MLReader<LstmLanguageModel> read() {
    return new LstmReader<>(LstmLanguageModel.class, (uid, f, c) -> new LstmLanguageModel(uid));
  }

  public static LstmLanguageModel load(String path) {
    return read().load(path);
  }
}
