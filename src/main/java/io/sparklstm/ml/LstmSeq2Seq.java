package io.sparklstm.ml;

import io.sparklstm.io.Seq2SeqModelFile;
import io.sparklstm.ml.param.BidirectionalParams;
import io.sparklstm.ml.param.DecodingSetters;
import io.sparklstm.ml.param.EstimatorSetters;
import io.sparklstm.ml.param.Settings;
import io.sparklstm.spark.PairSource.Splitter;
import io.sparklstm.spark.PairSource.TokenPair;
import io.sparklstm.train.TrainingState;
import java.util.Map;
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
 * Sequence to sequence: an LSTM encoder-decoder (optionally a bidirectional encoder, Luong
 * attention) trained by parameter averaging on Spark exactly like {@code jobs/train} with
 * {@code task = seq2seq} ({@link Seq2SeqTraining}: the same settings and pairs give the same
 * parameters). The source and target columns hold string arrays of tokens, or strings split as
 * {@code sourceTokens} / {@code targetTokens} say ({@code space}, {@code chars} or a literal
 * separator); each side has its own vocabulary, from the training pairs. The encoder reads
 * one-hot tokens: the text settings and {@code inputKind}, {@code embeddingSize} do not apply;
 * dropout acts as {@link io.sparklstm.nn.Seq2SeqSpec#dropout} says.
 *
 * <pre>{@code
 * LstmSeq2SeqModel model = new LstmSeq2Seq().setSourceTokens("chars")
 *     .setHiddenSize(128).setBidirectional(true).setEpochs(5)
 *     .fit(pairs);                                  // columns source, target
 * model.setBeam(5).transform(words).select("source", "prediction").show(false);
 * }</pre>
 */
public final class LstmSeq2Seq extends Estimator<LstmSeq2SeqModel>
    implements EstimatorSetters<LstmSeq2Seq>, BidirectionalParams, DecodingSetters<LstmSeq2Seq>,
    MLWritable {
  private static final String WHO = "LstmSeq2Seq";
  private final String uid;

  public LstmSeq2Seq() {
    this(Identifiable.randomUID("lstmSeq2Seq"));
  }

  public LstmSeq2Seq(String uid) {
    this.uid = uid;
    Settings.setDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  public LstmSeq2Seq setTargetCol(String value) {
    set(targetCol(), value);
    return this;
  }

  public LstmSeq2Seq setSourceTokens(String value) {
    set(sourceTokens(), value);
    return this;
  }

  public LstmSeq2Seq setTargetTokens(String value) {
    set(targetTokens(), value);
    return this;
  }

  public LstmSeq2Seq setBidirectional(boolean value) {
    set(bidirectional(), value);
    return this;
  }

  public LstmSeq2Seq setAttention(boolean value) {
    set(attention(), value);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    StructType out = LstmTaggerModel.appendSchema(schema, getSourceCol(), getPredictionCol(),
        WHO);
    LstmTaggerModel.requireStrings(schema, getTargetCol(), WHO);
    return out;
  }

  @Override
  public LstmSeq2SeqModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    Seq2SeqTraining.check(this);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession()
        .sparkContext());
    Splitter sourceSplit = new Splitter(getSourceTokens());
    Splitter targetSplit = new Splitter(getTargetTokens());
    String sourceCol = getSourceCol();
    String targetCol = getTargetCol();
    JavaRDD<TokenPair> pairs = dataset.select(sourceCol, targetCol).toJavaRDD().zipWithIndex()
        .map(t -> {
          String at = WHO + ": row " + (t._2 + 1) + " of the training data";
          return new TokenPair(LstmSeq2SeqModel.tokens(t._1.get(0), sourceSplit, at, sourceCol),
              LstmSeq2SeqModel.tokens(t._1.get(1), targetSplit, at, targetCol));
        }).cache();
    Seq2SeqTraining training = Seq2SeqTraining.of(sc, this, pairs, null);
    TrainingState end = training.run((r, s) -> { });
    pairs.unpersist(false);
    LstmSeq2SeqModel model = new LstmSeq2SeqModel(uid(), new Seq2SeqModelFile(training.spec(),
        training.source(), training.target(), sourceSplit.how(), targetSplit.how(), Map.of(),
        end.model().params()));
    model.setParent(this);
    copyValues(model, ParamMap.empty());
    return model;
  }

  @Override
  public LstmSeq2Seq copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new LstmWriter(this, null, null);
  }

  public static MLReader<LstmSeq2Seq> read() {
    return new LstmReader<>(LstmSeq2Seq.class, (uid, f, c) -> new LstmSeq2Seq(uid));
  }

  public static LstmSeq2Seq load(String path) {
    return read().load(path);
  }
}
