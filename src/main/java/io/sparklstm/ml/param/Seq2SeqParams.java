package io.sparklstm.ml.param;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Sequence to sequence ({@code task = seq2seq}): how pairs are cut into tokens, whether the
 * decoder attends to the encoder's states, and how held-out and new sources are decoded. The
 * encoder's width, depth and directions are {@code model.hidden}, {@code model.layers} and
 * {@code model.bidirectional}.
 */
public interface Seq2SeqParams extends Params {
  Setting.Texts SOURCE_TOKENS = Setting.text("sourceTokens", "pairs.source.tokens", "space",
      false, "how a source text splits into tokens: space (runs of whitespace), chars (one "
          + "character each), or a literal separator such as , or |");
  Setting.Texts TARGET_TOKENS = Setting.text("targetTokens", "pairs.target.tokens", "space",
      false, "how a target text splits into tokens (as pairs.source.tokens)");
  Setting.Flags ATTENTION = Setting.flag("attention", "seq2seq.attention", true,
      "Luong dot-product attention of the decoder over the encoder's states");
  Setting.Ints BEAM = Setting.integer("beam", "decode.beam", 1, 1, 1000,
      "beam width of decoding (1: greedy)");
  Setting.Numbers LENGTH_ALPHA = Setting.number("lengthAlpha", "decode.length.alpha", 0.6, 0,
      10, "beam search ranks finished outputs by log p / length^alpha (0: no normalisation)");
  Setting.Ints DECODE_MAX_LENGTH = Setting.integer("decodeMaxLength", "decode.max.length", 100,
      1, 100_000, "the longest output decoding writes (without the end of sequence)");

  default Param<String> sourceTokens() {
    return SOURCE_TOKENS.param(this);
  }

  default Param<String> targetTokens() {
    return TARGET_TOKENS.param(this);
  }

  default BooleanParam attention() {
    return ATTENTION.param(this);
  }

  default IntParam beam() {
    return BEAM.param(this);
  }

  default DoubleParam lengthAlpha() {
    return LENGTH_ALPHA.param(this);
  }

  default IntParam decodeMaxLength() {
    return DECODE_MAX_LENGTH.param(this);
  }

  default String getSourceTokens() {
    return SOURCE_TOKENS.get(this);
  }

  default String getTargetTokens() {
    return TARGET_TOKENS.get(this);
  }

  default boolean getAttention() {
    return ATTENTION.get(this);
  }

  default int getBeam() {
    return BEAM.get(this);
  }

  default double getLengthAlpha() {
    return LENGTH_ALPHA.get(this);
  }

  default int getDecodeMaxLength() {
    return DECODE_MAX_LENGTH.get(this);
  }
}
