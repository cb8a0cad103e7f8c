package io.sparklstm.ml;

import io.sparklstm.ml.param.AveragingParams;
import io.sparklstm.ml.param.ClassificationParams;
import io.sparklstm.ml.param.JobParams;
import io.sparklstm.ml.param.ModelParams;
import io.sparklstm.ml.param.OptimizerParams;
import io.sparklstm.ml.param.ScoringParams;
import io.sparklstm.ml.param.Settings;
import io.sparklstm.ml.param.TaggingColumnParams;
import io.sparklstm.ml.param.TaggingParams;
import io.sparklstm.ml.param.TextParams;
import io.sparklstm.ml.param.TrainingLoopParams;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.spark.TaggedSource;
import io.sparklstm.spark.Task;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link LstmTagger}: {@link #transform} adds {@code predictedTags}, the most probable
 * tag of every token of the tokens column (an array as long as the row's tokens), computed on
 * the executors (weights broadcast once, a pooled network per task, {@code scoringBatchSize}
 * sentences at a time). A token outside the vocabulary reads as the unknown token; a row with
 * more tokens than {@code maxLength} fails naming it. Saved models also work with
 * {@code jobs/evaluate} (CoNLL files) and {@code jobs/export}.
 */
public final class LstmTaggerModel extends Model<LstmTaggerModel>
    implements ModelParams, TextParams, OptimizerParams, TrainingLoopParams, AveragingParams,
    ClassificationParams, TaggingParams, TaggingColumnParams, ScoringParams, MLWritable {
  private static final String WHO = "LstmTaggerModel";
  private final String uid;
  private final Fitted fitted;
  private TrainingSummary summary;

  LstmTaggerModel(String uid, Fitted fitted) {
    this.uid = uid;
    this.fitted = fitted;
    Settings.setDefaults(this);
  }

  LstmTaggerModel withSummary(TrainingSummary s) {
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

  /** The tags in output order. */
  public List<String> tags() {
    return List.copyOf(fitted.tags);
  }

  /** Tokens in id order; id 0 is the unknown token. */
  public List<String> vocabulary() {
    return fitted.vocabulary.tokens();
  }

  /** How training went (rounds; no held-out figures: evaluate with transform). */
  public TrainingSummary summary() {
    if (summary == null) {
      throw new IllegalStateException(WHO + " " + uid + " has no training summary (it was "
          + "loaded, not fitted here)");
    }
    return summary;
  }

  public LstmTaggerModel setTokensCol(String value) {
    set(tokensCol(), value);
    return this;
  }

  public LstmTaggerModel setPredictedTagsCol(String value) {
    set(predictedTagsCol(), value);
    return this;
  }

  public LstmTaggerModel setScoringBatchSize(int value) {
    set(scoringBatchSize(), value);
    return this;
  }

  /** Fails unless {@code col} holds strings or arrays of strings. */
  static void requireStrings(StructType schema, String col, String who) {
    if (!Arrays.asList(schema.fieldNames()).contains(col)
        || !(schema.apply(col).dataType().equals(DataTypes.StringType)
        || schema.apply(col).dataType() instanceof ArrayType a
        && a.elementType().equals(DataTypes.StringType))) {
      throw new IllegalArgumentException(who + ": needs a column '" + col + "' of string "
          + "arrays or strings; the columns are " + schema.simpleString());
    }
  }

  /**
   * {@code schema} with the input column {@code in} checked (strings or string arrays) and the
   * output column {@code out} (string arrays: the tags, a seq2seq model's tokens) added.
   */
  static StructType appendSchema(StructType schema, String in, String out, String who) {
    requireStrings(schema, in, who);
    return ClassificationColumns.add(schema, out,
        DataTypes.createArrayType(DataTypes.StringType, false));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return appendSchema(schema, getTokensCol(), getPredictedTagsCol(), WHO);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    Broadcast<Fitted.Weights> weights = fitted.broadcast(dataset.sparkSession().sparkContext());
    return dataset.toDF().mapPartitions(tagging(weights, fitted.tags,
        dataset.schema().fieldIndex(getTokensCol()), getTokensCol(), getSeparator(),
        getScoringBatchSize(), getMaxLength()), Encoders.row(out));
  }

  /** The task side of transform; static, so that the closure holds no model. */
  private static MapPartitionsFunction<Row, Row> tagging(Broadcast<Fitted.Weights> weights,
      List<String> tags, int index, String col, String separator, int batch, int maxLength) {
    return rows -> {
      Fitted.Weights w = weights.value();
      TaggerScorer scorer = new TaggerScorer(NetworkPool.lease(w.spec(), w.params(), batch,
          maxLength).network());
      long[] seen = {0};
      return Minibatches.map(rows, batch * Minibatches.LOOKAHEAD, in -> {
        List<int[]> sentences = new ArrayList<>(in.size());
        for (Row r : in) {
          String at = WHO + ": row " + ++seen[0] + " of partition "
              + TaskContext.getPartitionId();
          String[] tokens = TaggedSource.items(r.get(index), separator, at,
              "column '" + col + "'");
          if (tokens.length > maxLength) {
            throw new IllegalArgumentException(at + ": " + tokens.length + " tokens, more than "
                + "maxLength = " + maxLength);
          }
          int[] ids = new int[tokens.length];
          for (int t = 0; t < ids.length; t++) {
            ids[t] = w.vocabulary().id(w.vocabulary().tokenizer().normalize(tokens[t]));
          }
          sentences.add(ids);
        }
        int[][] predicted = scorer.tags(sentences);
        List<Row> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
          Row r = in.get(i);
          Object[] values = new Object[r.size() + 1];
          for (int c = 0; c < r.size(); c++) {
            values[c] = r.get(c);
          }
          String[] names = new String[predicted[i].length];
          for (int t = 0; t < names.length; t++) {
            names[t] = tags.get(predicted[i][t]);
          }
          values[r.size()] = names;
          out.add(RowFactory.create(values));
        }
        return out;
      });
    };
  }

  @Override
  public LstmTaggerModel copy(ParamMap extra) {
    return copyValues(new LstmTaggerModel(uid, fitted).withSummary(summary), extra)
        .setParent(parent());
  }

  /** Saved with the settings as a conf, so that {@code jobs/evaluate} reads CoNLL files. */
  @Override
  public MLWriter write() {
    Map<String, String> config = Settings.toConf(this);
    config.put(JobParams.TASK.confKey(), Task.TAGGING.name());
    config.put(JobParams.DATA_FORMAT.confKey(), "conll");
    return new LstmWriter(this, fitted.toSaved(config), SequenceColumn.TOKENS);
  }

  public static MLReader<LstmTaggerModel> read() {
    return new LstmReader<>(LstmTaggerModel.class, (uid, f, c) -> new LstmTaggerModel(uid, f));
  }

  public static LstmTaggerModel load(String path) {
    return read().load(path);
  }
}
