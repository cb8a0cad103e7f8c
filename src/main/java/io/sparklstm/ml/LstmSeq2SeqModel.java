package io.sparklstm.ml;

import io.sparklstm.io.Seq2SeqModelFile;
import io.sparklstm.ml.param.AveragingParams;
import io.sparklstm.ml.param.BidirectionalParams;
import io.sparklstm.ml.param.DecodingSetters;
import io.sparklstm.ml.param.JobParams;
import io.sparklstm.ml.param.ModelParams;
import io.sparklstm.ml.param.OptimizerParams;
import io.sparklstm.ml.param.ScoringParams;
import io.sparklstm.ml.param.Settings;
import io.sparklstm.ml.param.TextParams;
import io.sparklstm.ml.param.TrainingLoopParams;
import io.sparklstm.nn.Seq2SeqSpec;
import io.sparklstm.nn.Seq2SeqTranslator;
import io.sparklstm.spark.PairSource.Splitter;
import io.sparklstm.spark.Seq2SeqTask;
import io.sparklstm.spark.TaggedSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
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
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A fitted {@link LstmSeq2Seq}: {@link #transform} adds {@code prediction}, the decoded target
 * tokens of the source column (array&lt;string&gt;), computed on the executors (the model
 * broadcast, {@code scoringBatchSize} sources decoded together), greedily or with a beam of
 * {@code beam}, both settable here. A source token outside the vocabulary reads as
 * {@code <unk>}, as in the jobs. Saved models hold the jobs' safetensors file (also the
 * export), so {@code jobs/translate} and {@code jobs/evaluate} take the saved path.
 */
public final class LstmSeq2SeqModel extends Model<LstmSeq2SeqModel>
    implements ModelParams, TextParams, OptimizerParams, TrainingLoopParams, AveragingParams,
    BidirectionalParams, DecodingSetters<LstmSeq2SeqModel>, ScoringParams, MLWritable {
  private static final String WHO = "LstmSeq2SeqModel";
  private final String uid;
  private final Seq2SeqModelFile model;

  LstmSeq2SeqModel(String uid, Seq2SeqModelFile model) {
    this.uid = uid;
    this.model = model;
    Settings.setDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The encoder-decoder's shape. */
  public Seq2SeqSpec spec() {
    return model.spec();
  }

  /** The trained parameters, laid out as {@code io.sparklstm.nn.ParamLayout} says. */
  public float[] parameters() {
    return model.params().clone();
  }

  /** Source tokens in id order; id 0 is {@code <unk>}. */
  public List<String> sourceVocabulary() {
    return model.source().tokens();
  }

  /** Target tokens in id order; id 0 is the end of sequence {@code </s>}, id 1 {@code <unk>}. */
  public List<String> targetVocabulary() {
    return model.target().tokens();
  }

  public LstmSeq2SeqModel setScoringBatchSize(int value) {
    set(scoringBatchSize(), value);
    return this;
  }

  /**
   * The tokens of a row's {@code column} value: an array as it is, a string split by
   * {@code split}; a null or empty one fails naming {@code at} and the column.
   */
  static String[] tokens(Object value, Splitter split, String at, String column) {
    return TaggedSource.items(value instanceof String s ? split.split(s) : value, "\\s+", at,
        "column '" + column + "'");
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return LstmTaggerModel.appendSchema(schema, getSourceCol(), getPredictionCol(), WHO);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    Broadcast<Seq2SeqModelFile> b = JavaSparkContext.fromSparkContext(
        dataset.sparkSession().sparkContext()).broadcast(model);
    return dataset.toDF().mapPartitions(decoding(b, dataset.schema().fieldIndex(getSourceCol()),
        getSourceCol(), getScoringBatchSize(), getBeam(), getLengthAlpha(),
        getDecodeMaxLength()), Encoders.row(out));
  }

  /** The task side of transform; static, so that the closure holds no model. */
  private static MapPartitionsFunction<Row, Row> decoding(Broadcast<Seq2SeqModelFile> b,
      int index, String col, int batch, int beam, double alpha, int maxLength) {
    return rows -> {
      Seq2SeqModelFile m = b.value();
      Splitter split = new Splitter(m.sourceSplit());
      Seq2SeqTranslator translator = new Seq2SeqTranslator(m.spec(), m.params(), batch, beam,
          alpha, maxLength);
      long[] seen = {0};
      return Minibatches.map(rows, batch, in -> {
        List<int[]> sources = new ArrayList<>(in.size());
        for (Row r : in) {
          String at = WHO + ": row " + ++seen[0] + " of partition "
              + TaskContext.getPartitionId();
          sources.add(m.source().ids(tokens(r.get(index), split, at, col)));
        }
        int[][] decoded = translator.decode(sources);
        List<Row> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
          List<Object> values = new ArrayList<>(CollectionConverters.asJava(in.get(i).toSeq()));
          values.add(m.target().tokens(decoded[i]).toArray(new String[0]));
          out.add(RowFactory.create(values.toArray()));
        }
        return out;
      });
    };
  }

  @Override
  public LstmSeq2SeqModel copy(ParamMap extra) {
    return copyValues(new LstmSeq2SeqModel(uid, model), extra)
        .setParent(parent());
  }

  /** The model file with this stage's settings as its conf, as the jobs read it. */
  Seq2SeqModelFile file() {
    Map<String, String> config = Settings.toConf(this);
    config.put(JobParams.TASK.confKey(), Seq2SeqTask.SEQ2SEQ.name());
    config.put(JobParams.DATA_FORMAT.confKey(), "tsv");
    return new Seq2SeqModelFile(model.spec(), model.source(), model.target(),
        model.sourceSplit(), model.targetSplit(), config, model.params());
  }

  /** Saved with the jobs' safetensors file, whose conf holds the current settings. */
  @Override
  public MLWriter write() {
    Seq2SeqModelFile f = file();
    return LstmWriter.of(this, (dir, conf) -> f.write(dir + "/" + Seq2SeqModelFile.NAME, conf));
  }

  public static MLReader<LstmSeq2SeqModel> read() {
    return LstmReader.of(LstmSeq2SeqModel.class, (uid, m, data, conf) -> new LstmSeq2SeqModel(
        uid, Seq2SeqModelFile.read(data + "/" + Seq2SeqModelFile.NAME, conf)));
  }

  public static LstmSeq2SeqModel load(String path) {
    return read().load(path);
  }
}
