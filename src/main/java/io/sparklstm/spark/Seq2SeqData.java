package io.sparklstm.spark;

import io.sparklstm.data.Pair;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.Seq2SeqSpec;
import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;

/**
 * Pairs for {@link Seq2SeqTask}, with the network they train.
 *
 * @param pairs source-target pairs in a fixed order
 * @param setup the model and how held-out pairs are decoded
 */
public record Seq2SeqData(JavaRDD<Pair> pairs, Setup setup) {

  /**
   * The encoder-decoder and its limits: sources of up to {@code maxSource} tokens, targets of up
   * to {@code maxTarget - 1} (the decoder's window holds the EOS too); held-out pairs decoded with
   * a beam of {@code beam} (1: greedy), length normalisation {@code alpha}, at most
   * {@code maxLength} tokens.
   */
  public record Setup(Seq2SeqSpec spec, int maxSource, int maxTarget, int beam, double alpha,
      int maxLength) implements Serializable {

    /**
     * The shape {@link SparkTrainingConfig} carries for an encoder-decoder: its decoder as a
     * language model over the target vocabulary (what the divergence rule's ln V and the memory
     * checks, which are lower bounds, read).
     */
    public ModelSpec decoderShape() {
      return ModelSpec.languageModel(spec.targetVocab(), spec.hiddenSize(), spec.layers());
    }
  }
}
