package io.sparklstm.ml.param;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The columns of a language model: the text it reads and the scores it writes (an empty name
 * leaves that column out).
 */
public interface TextColumnParams extends Params {
  Setting.Texts INPUT_COL = Setting.text("inputCol", null, "value", false,
      "text column, one line per row (spark.read().text(path) names it value)");
  Setting.Texts LOG_LIKELIHOOD_COL = Setting.text("logLikelihoodCol", null, "logLikelihood",
      false, "output: natural log of the row's probability given a preceding line break");
  Setting.Texts NUM_TOKENS_COL = Setting.text("numTokensCol", null, "numTokens", false,
      "output: tokens scored in the row (its tokens and its line break)");
  Setting.Texts BITS_PER_TOKEN_COL = Setting.text("bitsPerTokenCol", null, "bitsPerToken",
      false, "output: -logLikelihood / ln 2 / numTokens");

  default Param<String> inputCol() {
    return INPUT_COL.param(this);
  }

  default Param<String> logLikelihoodCol() {
    return LOG_LIKELIHOOD_COL.param(this);
  }

  default Param<String> numTokensCol() {
    return NUM_TOKENS_COL.param(this);
  }

  default Param<String> bitsPerTokenCol() {
    return BITS_PER_TOKEN_COL.param(this);
  }

  default String getInputCol() {
    return INPUT_COL.get(this);
  }

  default String getLogLikelihoodCol() {
    return LOG_LIKELIHOOD_COL.get(this);
  }

  default String getNumTokensCol() {
    return NUM_TOKENS_COL.get(this);
  }

  default String getBitsPerTokenCol() {
    return BITS_PER_TOKEN_COL.get(this);
  }
}
