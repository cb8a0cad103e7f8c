package io.sparklstm.ml.param;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/** The columns of a tagger: the tokens (and, fitting, tags) it reads and the tags it writes. */
public interface TaggingColumnParams extends Params {
  Setting.Texts TOKENS_COL = Setting.text("tokensCol", null, "tokens", false,
      "tokens column: array<string>, or a string split at the separator");
  Setting.Texts TAGS_COL = Setting.text("tagsCol", null, "tags", false,
      "tags column (fitting): array<string>, or a string split at the separator; a tag a token");
  Setting.Texts PREDICTED_TAGS_COL = Setting.text("predictedTagsCol", null, "predictedTags",
      false, "output: array<string>, the predicted tag of each token");

  default Param<String> tokensCol() {
    return TOKENS_COL.param(this);
  }

  default Param<String> tagsCol() {
    return TAGS_COL.param(this);
  }

  default Param<String> predictedTagsCol() {
    return PREDICTED_TAGS_COL.param(this);
  }

  default String getTokensCol() {
    return TOKENS_COL.get(this);
  }

  default String getTagsCol() {
    return TAGS_COL.get(this);
  }

  default String getPredictedTagsCol() {
    return PREDICTED_TAGS_COL.get(this);
  }
}
