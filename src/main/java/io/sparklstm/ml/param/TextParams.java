package io.sparklstm.ml.param;

import io.sparklstm.data.Tokenizer;
import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * How text becomes tokens: the vocabulary's level, how words are found, lower-casing, and which
 * tokens the vocabulary keeps. A fitted model keeps its tokenizer with its vocabulary, so scoring
 * splits text as training did whatever these Params say later.
 */
public interface TextParams extends Params {
  Setting.Texts VOCAB_LEVEL = Setting.oneOf("vocabLevel", "vocab.level", "char",
      List.of("char", "word"), "tokens of a string column: characters or words (found by "
          + "text.tokenizer; token-array columns are already tokens)");
  Setting.Texts TOKENIZER = Setting.oneOf("tokenizer", "text.tokenizer", "whitespace",
      List.of("whitespace", "regex"), "how vocab.level = word finds words: whitespace (runs of "
          + "ASCII space, tab, CR, LF, VT, FF separate them; other spaces, e.g. U+00A0, do not) "
          + "or regex (every match of text.tokenizer.pattern is a word)");
  Setting.Texts TOKEN_PATTERN = Setting.regex("tokenPattern", "text.tokenizer.pattern",
      "(?U)\\w+|[^\\w\\s]", "text.tokenizer = regex: a Java regular expression matching the "
          + "tokens themselves (not the gaps between them); the text between matches is dropped."
          + " The default takes runs of letters, digits and _ as words and any other non-space "
          + "character as a token of its own; (?U) makes \\w and \\s Unicode-aware");
  Setting.Flags LOWERCASE = Setting.flag("lowercase", "text.lowercase", false,
      "lower-case text (Unicode rules, independent of the locale) before splitting it, and the "
          + "tokens of a token-array column");
  Setting.Ints VOCAB_MIN_COUNT = Setting.integer("vocabMinCount", "vocab.min.count", 1, 1,
      Integer.MAX_VALUE, "tokens seen fewer times map to the unknown token");
  Setting.Ints VOCAB_MAX_SIZE = Setting.integer("vocabMaxSize", "vocab.max.size", 0, 0,
      Integer.MAX_VALUE, "keep only this many of the most frequent tokens (of those vocab.min.count"
          + " keeps; equal counts in string order) besides the unknown token, which takes the "
          + "rest; 0: no cap");

  default Param<String> vocabLevel() {
    return VOCAB_LEVEL.param(this);
  }

  default Param<String> tokenizer() {
    return TOKENIZER.param(this);
  }

  default Param<String> tokenPattern() {
    return TOKEN_PATTERN.param(this);
  }

  default BooleanParam lowercase() {
    return LOWERCASE.param(this);
  }

  default IntParam vocabMinCount() {
    return VOCAB_MIN_COUNT.param(this);
  }

  default IntParam vocabMaxSize() {
    return VOCAB_MAX_SIZE.param(this);
  }

  default String getVocabLevel() {
    return VOCAB_LEVEL.get(this);
  }

  default String getTokenizer() {
    return TOKENIZER.get(this);
  }

  default String getTokenPattern() {
    return TOKEN_PATTERN.get(this);
  }

  default boolean getLowercase() {
    return LOWERCASE.get(this);
  }

  default int getVocabMinCount() {
    return VOCAB_MIN_COUNT.get(this);
  }

  default int getVocabMaxSize() {
    return VOCAB_MAX_SIZE.get(this);
  }

  /**
   * The tokenizer these settings describe. A setting that would be ignored fails instead: a
   * regex tokenizer at the character level, or a pattern without the regex tokenizer.
   */
  default Tokenizer textTokenizer() {
    boolean regex = getTokenizer().equals("regex");
    if (regex && getVocabLevel().equals("char")) {
      throw new IllegalArgumentException(TOKENIZER.label() + " = regex finds words; it needs "
          + VOCAB_LEVEL.label() + " = word (it is char)");
    }
    if (!regex && !getTokenPattern().equals(TOKEN_PATTERN.defaultValue())) {
      throw new IllegalArgumentException(TOKEN_PATTERN.label() + " = '" + getTokenPattern()
          + "' is used by " + TOKENIZER.label() + " = regex alone; it is " + getTokenizer());
    }
    Tokenizer.Kind kind = regex ? Tokenizer.Kind.REGEX : getVocabLevel().equals("word")
        ? Tokenizer.Kind.WHITESPACE : Tokenizer.Kind.CHARS;
    return Tokenizer.of(kind, regex ? getTokenPattern() : null, getLowercase());
  }

  /**
   * The tokenizer of tokens that come split already (a tagger's CoNLL lines or array items, a
   * classifier's token-array column), so only lower-casing applies: a regex tokenizer fails
   * rather than being ignored.
   *
   * @param what where the tokens come from, for the message
   */
  default Tokenizer splitTokensTokenizer(String what) {
    if (getTokenizer().equals("regex")) {
      throw new IllegalArgumentException(TOKENIZER.label() + " = regex splits text into words, "
          + "but " + what + " come split already; remove it");
    }
    return textTokenizer();
  }
}
