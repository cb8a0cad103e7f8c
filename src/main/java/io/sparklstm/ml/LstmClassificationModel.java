package io.sparklstm.ml;

import io.sparklstm.data.Example;
import io.sparklstm.ml.param.AveragingParams;
import io.sparklstm.ml.param.ClassificationParams;
import io.sparklstm.ml.param.JobParams;
import io.sparklstm.ml.param.ModelParams;
import io.sparklstm.ml.param.OptimizerParams;
import io.sparklstm.ml.param.ScoringParams;
import io.sparklstm.ml.param.Settings;
import io.sparklstm.ml.param.TextParams;
import io.sparklstm.ml.param.TrainingLoopParams;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.spark.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import scala.Tuple3;

/**
 * A fitted {@link LstmClassifier}: {@link #transform} adds {@code rawPrediction} (the logits),
 * {@code probability} and {@code prediction} like spark.ml's classifiers, so their evaluators
 * read it unchanged. Scoring runs on the executors: the weights are broadcast once, each task
 * leases a pooled network and streams its rows through it a minibatch ({@code scoringBatchSize}) at a
 * time; nothing is collected to the driver. {@link #predictRaw} and spark.ml's
 * {@code predictProbability} and {@code predict} score one sequence on the driver with the same
 * code: with {@code scoringBatchSize} 1 transform gives their numbers bit for bit, with larger
 * batches (faster) to about 1e-7.
 */
public final class LstmClassificationModel
    extends ProbabilisticClassificationModel<Object, LstmClassificationModel>
    implements ModelParams, TextParams, OptimizerParams, TrainingLoopParams, AveragingParams,
    ClassificationParams, ScoringParams, MLWritable {
  private static final String WHO = "LstmClassificationModel";
  private final String uid;
  private final Fitted fitted;
  private final SequenceColumn column;
  private TrainingSummary summary;

  LstmClassificationModel(String uid, Fitted fitted, SequenceColumn column) {
    this(Uids.handOver(uid), fitted, column);
  }

  private LstmClassificationModel(Uids.Handover uid, Fitted fitted, SequenceColumn column) {
    this.uid = uid.take();
    this.fitted = fitted;
    this.column = column;
    Settings.setDefaults(this);
  }

  LstmClassificationModel withSummary(TrainingSummary s) {
    this.summary = s;
    return this;
  }

  @Override
  public String uid() {
    return Uids.resolve(uid);
  }

  @Override
  public int numClasses() {
    return fitted.spec.outputSize();
  }

  /** The network's shape. */
  public ModelSpec spec() {
    return fitted.spec;
  }

  /** The trained parameters, laid out as {@code io.sparklstm.nn.ParamLayout} says. */
  public float[] parameters() {
    return fitted.params().clone();
  }

  /** Tokens in id order (id 0 is the unknown token); empty for a dense-input model. */
  public List<String> vocabulary() {
    return fitted.vocabulary == null ? List.of() : fitted.vocabulary.tokens();
  }

  public boolean hasSummary() {
    return summary != null;
  }

  /** How training went; only on a model fitted in this JVM (and its copies). */
  public TrainingSummary summary() {
    if (summary == null) {
      throw new IllegalStateException(WHO + " " + uid() + " has no training summary (it was "
          + "loaded, not fitted here)");
    }
    return summary;
  }

  public LstmClassificationModel setScoringBatchSize(int value) {
    set(scoringBatchSize(), value);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SequenceColumn found = SequenceColumn.of(schema, getFeaturesCol(), WHO);
    if (found != column) {
      throw new IllegalArgumentException(WHO + ": trained on a " + column.description()
          + " column, but '" + getFeaturesCol() + "' holds " + found.description() + "s");
    }
    return ClassificationColumns.append(schema, this, false);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    Broadcast<Fitted.Weights> weights = fitted.broadcast(dataset.sparkSession().sparkContext());
    return dataset.toDF().mapPartitions(scoring(weights, column,
        dataset.schema().fieldIndex(getFeaturesCol()), getScoringBatchSize(), getMaxLength(),
        checkedThresholds(), !getRawPredictionCol().isEmpty(),
        !getProbabilityCol().isEmpty(), !getPredictionCol().isEmpty()), Encoders.row(out));
  }

  /** The task side of transform; static, so that the closure holds no model. */
  private static MapPartitionsFunction<Row, Row> scoring(Broadcast<Fitted.Weights> weights,
      SequenceColumn column, int index, int batch, int maxLength, double[] thresholds,
      boolean raw, boolean probability, boolean prediction) {
    return rows -> {
      Fitted.Weights w = weights.value();
      ClassifierScorer scorer = new ClassifierScorer(NetworkPool.lease(w.spec(), w.params(),
          batch, maxLength).network());
      int width = w.spec().input() == ModelSpec.InputKind.DENSE ? w.spec().inputSize() : 0;
      long[] seen = {0};
      return Minibatches.map(rows, batch * Minibatches.LOOKAHEAD, in -> {
        List<Example> sequences = new ArrayList<>(in.size());
        for (Row r : in) {
          sequences.add(column.example(r.get(index), w.vocabulary(), maxLength, width, 0,
              WHO + ": row " + ++seen[0] + " of partition " + org.apache.spark.TaskContext
                  .getPartitionId()));
        }
        double[][] logits = scorer.logits(sequences);
        List<Row> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
          Row r = in.get(i);
          List<Object> values = new ArrayList<>(r.size() + 3);
          for (int c = 0; c < r.size(); c++) {
            values.add(r.get(c));
          }
          double[] p = ClassifierScorer.softmax(logits[i].clone());
          if (raw) {
            values.add(Vectors.dense(logits[i]));
          }
          if (probability) {
            values.add(Vectors.dense(p));
          }
          if (prediction) {
            values.add((double) ClassifierScorer.predict(p, thresholds));
          }
          out.add(RowFactory.create(values.toArray()));
        }
        return out;
      });
    };
  }

  /**
   * The logits of one sequence (a string, a list or array of tokens, or a list of steps), on the
   * driver; spark.ml's {@code predict} and {@code predictProbability} build on it.
   */
  @Override
  public Vector predictRaw(Object features) {
    Fitted.Weights w = fitted.weights();
    int width = w.spec().input() == ModelSpec.InputKind.DENSE ? w.spec().inputSize() : 0;
    Example e = column.example(features, w.vocabulary(), getMaxLength(), width, 0, WHO);
    try (NetworkPool.Lease lease = NetworkPool.lease(w.spec(), w.params(),
        getScoringBatchSize(), getMaxLength())) {
      return Vectors.dense(new ClassifierScorer(lease.network()).logits(List.of(e))[0]);
    }
  }

  @Override
  public Vector raw2probabilityInPlace(Vector raw) {
    double[] values = raw.toArray();
    ClassifierScorer.softmax(values);
    return Vectors.dense(values);
  }

  @Override
  public double probability2prediction(Vector probability) {
    return ClassifierScorer.predict(probability.toArray(), checkedThresholds());
  }

  /**
   * The thresholds, or null; one per class (spark.ml's own transform checks this, but this class
   * replaces that transform, and thresholds set on the estimator arrive unchecked).
   */
  private double[] checkedThresholds() {
    if (!isDefined(thresholds())) {
      return null;
    }
    double[] t = getThresholds();
    if (t.length != numClasses()) {
      throw new IllegalArgumentException("thresholds has " + t.length + " values but the model has "
          + numClasses() + " classes; expected one per class");
    }
    return t;
  }

  /** Resolves the two summary methods Java sees from the Scala superclasses. */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public LstmClassificationModel copy(ParamMap extra) {
    LstmClassificationModel copy = new LstmClassificationModel(uid(), fitted, column)
        .withSummary(summary);
    return copyValues(copy, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    Map<String, String> config = Settings.toConf(this);
    config.put(JobParams.TASK.confKey(), Task.CLASSIFICATION.name());
    return new LstmWriter(this, fitted.toSaved(config), column);
  }

  public static MLReader<LstmClassificationModel> read() {
    return new LstmReader<>(LstmClassificationModel.class, LstmClassificationModel::new);
  }

  public static LstmClassificationModel load(String path) {
    return read().load(path);
  }
}
