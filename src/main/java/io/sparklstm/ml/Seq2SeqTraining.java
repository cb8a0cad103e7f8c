package io.sparklstm.ml;

import io.sparklstm.data.Pair;
import io.sparklstm.data.TokenIds;
import io.sparklstm.ml.param.BidirectionalParams;
import io.sparklstm.ml.param.EstimatorSetters;
import io.sparklstm.ml.param.ModelParams;
import io.sparklstm.ml.param.Seq2SeqParams;
import io.sparklstm.nn.Seq2SeqSpec;
import io.sparklstm.spark.PairSource.TokenPair;
import io.sparklstm.spark.Seq2SeqData;
import io.sparklstm.spark.Seq2SeqTask;
import io.sparklstm.spark.SparkTrainer;
import io.sparklstm.train.TrainingState;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Sequence to sequence training as {@code jobs/train} and {@link LstmSeq2Seq} both run it, so
 * that equal settings and pairs train equal parameters: each side's vocabulary from the training
 * pairs, the network sized for the longest pairs, the trainer of the settings.
 *
 * @param train the training pairs, and how held-out pairs are decoded
 * @param held the held-out pairs; null without them
 */
public record Seq2SeqTraining(TokenIds source, TokenIds target, SparkTrainer trainer,
    Seq2SeqData train, Seq2SeqData held) {

  /** Fails on settings a seq2seq model cannot honour (it reads one-hot tokens). */
  public static void check(ModelParams s) {
    if (!s.getInputKind().equals(ModelParams.INPUT_KIND.defaultValue())) {
      throw new IllegalArgumentException(ModelParams.INPUT_KIND.label() + " = "
          + s.getInputKind() + ": task = seq2seq reads one-hot tokens; leave it at "
          + ModelParams.INPUT_KIND.defaultValue());
    }
  }

  /** The training of {@code s} on {@code trainText}, held out {@code heldText} (or null). */
  public static <S extends EstimatorSetters<?> & BidirectionalParams & Seq2SeqParams>
      Seq2SeqTraining of(JavaSparkContext sc, S s, JavaRDD<TokenPair> trainText,
      JavaRDD<TokenPair> heldText) {
    check(s);
    TokenIds source = TokenIds.source(trainText.flatMap(p -> List.of(p.source()).iterator())
        .distinct().collect());
    TokenIds target = TokenIds.target(trainText.flatMap(p -> List.of(p.target()).iterator())
        .distinct().collect());
    JavaRDD<Pair> train = encode(trainText, source, target).cache();
    JavaRDD<Pair> held = heldText == null ? null : encode(heldText, source, target).cache();
    int[] longest = longest(held == null ? train : train.union(held));
    Seq2SeqSpec spec = new Seq2SeqSpec(source.size(), target.size(), s.getHiddenSize(),
        s.getNumLayers(), s.getBidirectional(), s.getAttention(), s.getDropout());
    Seq2SeqData.Setup setup = new Seq2SeqData.Setup(spec, longest[0], longest[1] + 1,
        s.getBeam(), s.getLengthAlpha(), s.getDecodeMaxLength());
    SparkTrainer trainer = Trainers.trainer(sc, s, setup.decoderShape(), setup.maxTarget(),
        s.getNumPartitions());
    return new Seq2SeqTraining(source, target, trainer, new Seq2SeqData(train, setup),
        held == null ? null : new Seq2SeqData(held, setup));
  }

  public Seq2SeqSpec spec() {
    return train.setup().spec();
  }

  /** Trains from the seed's parameters, telling {@code progress} after every round. */
  public TrainingState run(SparkTrainer.Progress progress) {
    return trainer.train(Seq2SeqTask.SEQ2SEQ, train,
        Seq2SeqTask.initialState(trainer.config(), train.setup()), progress);
  }

  /** Token pairs as ids of these vocabularies (unknown tokens as {@code <unk>}). */
  public static JavaRDD<Pair> encode(JavaRDD<TokenPair> pairs, TokenIds source,
      TokenIds target) {
    return pairs.map(p -> new Pair(source.ids(p.source()), target.ids(p.target())));
  }

  /** The longest source and the longest target. */
  public static int[] longest(JavaRDD<Pair> pairs) {
    return pairs.map(p -> new int[] {p.source().length, p.target().length})
        .reduce((a, b) -> new int[] {Math.max(a[0], b[0]), Math.max(a[1], b[1])});
  }
}
