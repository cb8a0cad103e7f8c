package io.sparklstm.ml;

import io.sparklstm.ml.param.AveragingParams;
import io.sparklstm.ml.param.GenerationParams;
import io.sparklstm.ml.param.JobParams;
import io.sparklstm.ml.param.LanguageModelParams;
import io.sparklstm.ml.param.ModelParams;
import io.sparklstm.ml.param.OptimizerParams;
import io.sparklstm.ml.param.ScoringParams;
import io.sparklstm.ml.param.Settings;
import io.sparklstm.ml.param.TextColumnParams;
import io.sparklstm.ml.param.TextParams;
import io.sparklstm.ml.param.TrainingLoopParams;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.spark.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link LstmLanguageModel}. {@link #transform} scores every line of the input column:
 * its log-likelihood (nats), the tokens scored and bits per token. {@link #generate} samples a
 * continuation of every row's prompt (temperature, top-k, seed: the same prompt and seed give
 * the same text, as {@code jobs/generate} prints it). Both run on the executors: the weights are
 * broadcast once, each task leases a pooled network, rows stream through a minibatch
 * ({@code scoringBatchSize}) at a time. {@link #logLikelihood} scores one line on the driver with
 * the same code (bit for bit what transform gives with {@code scoringBatchSize} 1).
 */
public final class LstmTextModel extends Model<LstmTextModel>
    implements ModelParams, TextParams, OptimizerParams, TrainingLoopParams, AveragingParams,
    LanguageModelParams, TextColumnParams, GenerationParams, ScoringParams, MLWritable {
  private static final String WHO = "LstmTextModel";
  private final String uid;
  private final Fitted fitted;
  private TrainingSummary summary;

  LstmTextModel(String uid, Fitted fitted) {
    this.uid = uid;
    this.fitted = fitted;
    Settings.setDefaults(this);
  }

  LstmTextModel withSummary(TrainingSummary s) {
    this.summary = s;
    return this;
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The network's shape. */
  public ModelSpec spec() {
    return fitted.spec;
  }

  /** The trained parameters, laid out as {@code io.sparklstm.nn.ParamLayout} says. */
  public float[] parameters() {
    return fitted.params().clone();
  }

  /** Tokens in id order; id 0 is the unknown token. */
  public List<String> vocabulary() {
    return fitted.vocabulary.tokens();
  }

  public boolean hasSummary() {
    return summary != null;
  }

  /** How training went, with the held-out bits per token after each epoch. */
  public TrainingSummary summary() {
    if (summary == null) {
      throw new IllegalStateException(WHO + " " + uid + " has no training summary (it was "
          + "loaded, not fitted here)");
    }
    return summary;
  }

  public LstmTextModel setScoringBatchSize(int value) {
    return with(scoringBatchSize(), value);
  }

  public LstmTextModel setInputCol(String value) {
    return with(inputCol(), value);
  }

  public LstmTextModel setLogLikelihoodCol(String value) {
    return with(logLikelihoodCol(), value);
  }

  public LstmTextModel setNumTokensCol(String value) {
    return with(numTokensCol(), value);
  }

  public LstmTextModel setBitsPerTokenCol(String value) {
    return with(bitsPerTokenCol(), value);
  }

  public LstmTextModel setPromptCol(String value) {
    return with(promptCol(), value);
  }

  public LstmTextModel setGeneratedCol(String value) {
    return with(generatedCol(), value);
  }

  public LstmTextModel setGenerateLength(int value) {
    return with(generateLength(), value);
  }

  public LstmTextModel setTemperature(double value) {
    return with(temperature(), value);
  }

  public LstmTextModel setTopK(int value) {
    return with(topK(), value);
  }

  public LstmTextModel setSampleSeed(long value) {
    return with(sampleSeed(), value);
  }

  private <T> LstmTextModel with(org.apache.spark.ml.param.Param<T> p, T value) {
    set(p, value);
    return this;
  }

  /** {ln p(line) in nats, tokens scored}, as {@link #transform} computes them, on the driver. */
  public double[] logLikelihood(String line) {
    Fitted.Weights w = fitted.weights();
    try (NetworkPool.Lease lease = NetworkPool.lease(w.spec(), w.params(),
        getScoringBatchSize(), getWindow())) {
      return new TextScorer(lease.network(), w.vocabulary()).logLikelihoods(List.of(line))[0];
    }
  }

  /** The input schema checked (a string input column) and the score columns added. */
  static StructType scoreSchema(StructType schema, TextColumnParams p, String who) {
    requireString(schema, p.getInputCol(), who);
    StructType out = ClassificationColumns.add(schema, p.getLogLikelihoodCol(),
        DataTypes.DoubleType);
    out = ClassificationColumns.add(out, p.getNumTokensCol(), DataTypes.IntegerType);
    return ClassificationColumns.add(out, p.getBitsPerTokenCol(), DataTypes.DoubleType);
  }

  private static void requireString(StructType schema, String col, String who) {
    if (!java.util.Arrays.asList(schema.fieldNames()).contains(col)
        || !schema.apply(col).dataType().equals(DataTypes.StringType)) {
      throw new IllegalArgumentException(who + ": needs a string column '" + col + "'; the "
          + "columns are " + schema.simpleString());
    }
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return scoreSchema(schema, this, WHO);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    boolean ll = !getLogLikelihoodCol().isEmpty();
    boolean count = !getNumTokensCol().isEmpty();
    boolean bits = !getBitsPerTokenCol().isEmpty();
    return perRow(dataset, getInputCol(), out, (scorer, lines) -> {
      double[][] scores = scorer.logLikelihoods(lines);
      List<Object[]> added = new ArrayList<>(lines.size());
      for (double[] s : scores) {
        List<Object> v = new ArrayList<>(3);
        if (ll) {
          v.add(s[0]);
        }
        if (count) {
          v.add((int) s[1]);
        }
        if (bits) {
          v.add(-s[0] / Math.log(2) / s[1]);
        }
        added.add(v.toArray());
      }
      return added;
    });
  }

  /** {@code dataset} with a continuation of each row's {@code promptCol} in generatedCol. */
  public Dataset<Row> generate(Dataset<?> dataset) {
    requireString(dataset.schema(), getPromptCol(), WHO);
    StructType out = ClassificationColumns.add(dataset.schema(), getGeneratedCol(),
        DataTypes.StringType);
    int length = getGenerateLength();
    double temperature = getTemperature();
    int topK = getTopK();
    long seed = getSampleSeed();
    return perRow(dataset, getPromptCol(), out, (scorer, prompts) -> {
      List<Object[]> added = new ArrayList<>(prompts.size());
      for (String p : prompts) {
        added.add(new Object[] {scorer.continuation(p, length, temperature, topK, seed)});
      }
      return added;
    });
  }

  /** The values a task appends to each row of a minibatch of texts. */
  @FunctionalInterface
  private interface RowValues extends java.io.Serializable {
    List<Object[]> apply(TextScorer scorer, List<String> texts);
  }

  /**
   * {@code dataset} with the values {@code f} computes from a minibatch of its string column
   * {@code col} appended to each row, computed on the executors.
   */
  private Dataset<Row> perRow(Dataset<?> dataset, String col, StructType out,
      RowValues f) {
    Broadcast<Fitted.Weights> weights = fitted.broadcast(dataset.sparkSession().sparkContext());
    return dataset.toDF().mapPartitions(task(weights, dataset.schema().fieldIndex(col),
        getScoringBatchSize(), getWindow(), f), Encoders.row(out));
  }

  /** The task side of {@link #perRow}; static, so that the closure holds no model. */
  private static MapPartitionsFunction<Row, Row> task(Broadcast<Fitted.Weights> weights,
      int index, int batch, int window, RowValues f) {
    return rows -> {
      Fitted.Weights w = weights.value();
      TextScorer scorer = new TextScorer(NetworkPool.lease(w.spec(), w.params(), batch, window)
          .network(), w.vocabulary());
      long[] seen = {0};
      return Minibatches.map(rows, batch * Minibatches.LOOKAHEAD, in -> {
        List<String> texts = new ArrayList<>(in.size());
        for (Row r : in) {
          seen[0]++;
          if (r.isNullAt(index)) {
            throw new IllegalArgumentException(WHO + ": row " + seen[0] + " of partition "
                + TaskContext.getPartitionId() + " has a null text");
          }
          texts.add(r.getString(index));
        }
        List<Object[]> added = f.apply(scorer, texts);
        List<Row> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
          Row r = in.get(i);
          Object[] values = new Object[r.size() + added.get(i).length];
          for (int c = 0; c < r.size(); c++) {
            values[c] = r.get(c);
          }
          System.arraycopy(added.get(i), 0, values, r.size(), added.get(i).length);
          out.add(RowFactory.create(values));
        }
        return out;
      });
    };
  }

  @Override
  public LstmTextModel copy(ParamMap extra) {
    return copyValues(new LstmTextModel(uid, fitted).withSummary(summary), extra)
        .setParent(parent());
  }

  @Override
  public MLWriter write() {
    Map<String, String> config = Settings.toConf(this);
    config.put(JobParams.TASK.confKey(), Task.LANGUAGE_MODEL.name());
    config.put(JobParams.DATA_FORMAT.confKey(), "text");
    return new LstmWriter(this, fitted.toSaved(config), SequenceColumn.TEXT);
  }

  public static MLReader<LstmTextModel> read() {
    return new LstmReader<>(LstmTextModel.class, (uid, f, c) -> new LstmTextModel(uid, f));
  }

  public static LstmTextModel load(String path) {
    return read().load(path);
  }
}
