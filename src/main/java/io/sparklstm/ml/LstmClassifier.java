package io.sparklstm.ml;

import io.sparklstm.data.Example;
import io.sparklstm.data.Vocabulary;
import io.sparklstm.ml.param.ClassificationParams;
import io.sparklstm.ml.param.EstimatorSetters;
import io.sparklstm.ml.param.Settings;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.spark.SparkTrainer;
import io.sparklstm.spark.Task;
import io.sparklstm.spark.TextSource;
import io.sparklstm.train.RoundRecord;
import io.sparklstm.train.TrainingState;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A sequence classifier: an LSTM over each row's sequence, a softmax over its final state,
 * trained by parameter averaging on Spark exactly like {@code jobs/train} with
 * {@code task = classification}. The features column holds token arrays ({@code array<string>},
 * e.g. from {@code RegexTokenizer}), strings (tokenised here, by {@code vocabLevel}), or dense
 * sequences ({@code array<array<float>>}, {@code array<vector>}); labels are class ids
 * 0, 1, ... as {@code StringIndexer} gives them.
 *
 * <pre>{@code
 * LstmClassificationModel model = new LstmClassifier()
 *     .setFeaturesCol("words").setLabelCol("label")
 *     .setInputKind("embedding").setEmbeddingSize(32).setHiddenSize(64)
 *     .setEpochs(5).setNumPartitions(2)
 *     .fit(training);
 * model.transform(test).select("prediction", "probability").show();
 * }</pre>
 */
public final class LstmClassifier
    extends ProbabilisticClassifier<Object, LstmClassifier, LstmClassificationModel>
    implements EstimatorSetters<LstmClassifier>, ClassificationParams, MLWritable {
  private static final String WHO = "LstmClassifier";
  private final String uid;

  public LstmClassifier() {
    this(Identifiable.randomUID("lstmClassifier"));
  }

  public LstmClassifier(String uid) {
    this(Uids.handOver(uid));
  }

  private LstmClassifier(Uids.Handover uid) {
    this.uid = uid.take();
    Settings.setDefaults(this);
  }

  @Override
  public String uid() {
    return Uids.resolve(uid);
  }

  public LstmClassifier setClasses(int value) {
    set(classes(), value);
    return this;
  }

  public LstmClassifier setMaxLength(int value) {
    set(maxLength(), value);
    return this;
  }

  public LstmClassifier setBidirectional(boolean value) {
    set(bidirectional(), value);
    return this;
  }

  public LstmClassifier setPooling(String value) {
    set(pooling(), value);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SequenceColumn.of(schema, getFeaturesCol(), WHO);
    return ClassificationColumns.append(schema, this, true);
  }

  @Override
  public LstmClassificationModel train(Dataset<?> dataset) {
    SequenceColumn column = SequenceColumn.of(dataset.schema(), getFeaturesCol(), WHO);
    InputKind input = inputKind(column);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession()
        .sparkContext());
    int classes = isSet(classes()) ? getClasses() : getNumClasses(dataset, 1_000_000);
    if (classes < 2) {
      throw new IllegalArgumentException(WHO + ": the labels in '" + getLabelCol() + "' name "
          + classes + " class; a classifier needs at least 2");
    }
    JavaRDD<Row> rows = dataset.select(getFeaturesCol(), getLabelCol()).toJavaRDD();
    Vocabulary vocab = vocabulary(column, rows);
    String col = getFeaturesCol();
    int width = column == SequenceColumn.DENSE
        ? SequenceColumn.width(rows.first().get(0), WHO + " column '" + col + "' row 1") : 0;
    JavaRDD<Example> examples = examples(rows, column, vocab, width, classes);
    ModelSpec spec = Trainers.spec(this, Task.CLASSIFICATION, input,
        input == InputKind.DENSE ? width : vocab.size(), classes, getBidirectional(),
        getPoolingKind());
    SparkTrainer trainer = Trainers.trainer(sc, this, spec, getMaxLength(), getNumPartitions());
    List<RoundRecord> rounds = new ArrayList<>();
    TrainingState end = trainer.train(Task.CLASSIFICATION, examples, trainer.initialState(),
        (r, s) -> rounds.add(r));
    String data = column.description() + " column " + col + (vocab == null ? ""
        : " vocabulary=" + vocab.size() + " hash=" + Integer.toHexString(
            vocab.tokens().hashCode()));
    Fitted fitted = new Fitted(spec, vocab, end, Trainers.provenance(sc, getSeed(), data));
    LstmClassificationModel model = new LstmClassificationModel(uid(), fitted, column)
        .withSummary(new TrainingSummary(rounds, new double[0]));
    // What the data decided, so that the model's settings describe its network.
    model.set(model.classes(), classes);
    model.set(model.inputKind(), input.name().toLowerCase(java.util.Locale.ROOT));
    return model;
  }

  /** The network's input: dense for a dense column, else tokens or a learned embedding. */
  private InputKind inputKind(SequenceColumn column) {
    String kind = getInputKind();
    if (column == SequenceColumn.DENSE) {
      if (isSet(inputKind()) && !kind.equals("dense")) {
        throw new IllegalArgumentException(WHO + ": inputKind = " + kind + " reads tokens, but "
            + "column '" + getFeaturesCol() + "' holds dense sequences");
      }
      return InputKind.DENSE;
    }
    if (kind.equals("dense")) {
      throw new IllegalArgumentException(WHO + ": inputKind = dense needs a column of dense "
          + "sequences; '" + getFeaturesCol() + "' holds " + column.description() + "s");
    }
    return kind.equals("embedding") ? InputKind.EMBEDDING : InputKind.TOKENS;
  }

  /** The vocabulary of a text or token column, by a distributed count (null for dense). */
  private Vocabulary vocabulary(SequenceColumn column, JavaRDD<Row> rows) {
    String col = getFeaturesCol();
    return switch (column) {
      case DENSE -> null;
      case TEXT -> TextSource.vocabulary(rows.map(r -> {
        if (r.isNullAt(0)) {
          throw new IllegalArgumentException(WHO + ": column '" + col + "' holds a null text");
        }
        return r.getString(0);
      }), textTokenizer(), getVocabMinCount(), getVocabMaxSize());
      case TOKENS -> TextSource.ofTokens(rows.filter(r -> !r.isNullAt(0))
          .map(r -> SequenceColumn.list(r.get(0))),
          splitTokensTokenizer("the items of the array column '" + col + "'"), getVocabMinCount(),
          getVocabMaxSize(), WHO + ": column '" + col + "'");
    };
  }

  private JavaRDD<Example> examples(JavaRDD<Row> rows, SequenceColumn column, Vocabulary vocab,
      int width, int classes) {
    String col = getFeaturesCol();
    String labelCol = getLabelCol();
    int maxLength = getMaxLength();
    return rows.zipWithIndex().map(t -> {
      String where = WHO + ": row " + (t._2 + 1) + " of the training data";
      Row r = t._1;
      if (r.isNullAt(1)) {
        throw new IllegalArgumentException(where + ": label '" + labelCol + "' is null");
      }
      double label = r.getDouble(1);
      if (label != Math.rint(label) || label < 0 || label >= classes) {
        throw new IllegalArgumentException(where + ": label " + label + " is not a class id in "
            + "[0, " + classes + ")");
      }
      return column.example(r.get(0), vocab, maxLength, width, (int) label,
          where + ", column '" + col + "'");
    });
  }

  @Override
  public LstmClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new LstmWriter(this, null, null);
  }

  public static MLReader<LstmClassifier> read() {
    return new LstmReader<>(LstmClassifier.class, (uid, fitted, column) -> new LstmClassifier(uid));
  }

  public static LstmClassifier load(String path) {
    return read().load(path);
  }
}
