package io.sparklstm.ml.param;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/** Settings of sequence tagging (a tag per token). */
public interface TaggingParams extends Params {
  /** What a tagger's tokens are, for the message refusing a regex tokenizer on them. */
  String TOKENS_SPLIT = "a tagger's tokens (one a CoNLL line or an array item each)";

  Setting.Texts SEPARATOR = Setting.separatorRegex("separator", "tagging.separator", "\\s+",
      "where tokens and tags given as strings (CSV, or string columns) are split: a regular "
          + "expression; array columns are taken as they are");

  default Param<String> separator() {
    return SEPARATOR.param(this);
  }

  default String getSeparator() {
    return SEPARATOR.get(this);
  }
}
