package io.sparklstm.ml.param;

import java.util.List;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/** How text becomes tokens: the vocabulary's level and its rare-token cut-off. */
public interface TextParams extends Params {
  Setting.Texts VOCAB_LEVEL = Setting.oneOf("vocabLevel", "vocab.level", "char",
      List.of("char", "word"), "tokens of a string column: characters or whitespace-separated "
          + "words (token-array columns are already tokens)");
  Setting.Ints VOCAB_MIN_COUNT = Setting.integer("vocabMinCount", "vocab.min.count", 1, 1,
      Integer.MAX_VALUE, "tokens seen fewer times map to the unknown token");

  default Param<String> vocabLevel() {
    return VOCAB_LEVEL.param(this);
  }

  default IntParam vocabMinCount() {
    return VOCAB_MIN_COUNT.param(this);
  }

  default String getVocabLevel() {
    return VOCAB_LEVEL.get(this);
  }

  default int getVocabMinCount() {
    return VOCAB_MIN_COUNT.get(this);
  }
}
