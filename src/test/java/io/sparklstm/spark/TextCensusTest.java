package io.sparklstm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklstm.data.Tokenizer;
import io.sparklstm.data.Vocabulary;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TextCensus}: the vocabulary, and the length and content hash of the encoded text, found
 * before encoding it, as encoding it and hashing the ids finds them.
 */
class TextCensusTest {
  static JavaSparkContext sc;

  /** Characters outside the BMP, upper case, blank lines, a line break inside a line. */
  static final List<String> LINES = List.of("Call me Ishmael.", "", "Some years ago",
      "never mind \uD834\uDD1E how long ", "  precisely  ", "HAVING little or no money",
      "in my purse,\nand nothing", "particular to interest me on shore, I thought I would",
      "sail about a little and see the watery part of the world.", "Ishmael");

  @BeforeAll
  static void start() {
    sc = SparkTrainerTest.context("local[2]");
  }

  @AfterAll
  static void stop() {
    sc.close();
  }

  @Test
  void lengthsAndHashAreThoseOfTheEncodedText() {
    List<Tokenizer> tokenizers = List.of(Tokenizer.CHARS, Tokenizer.WHITESPACE,
        Tokenizer.of(Tokenizer.Kind.CHARS, null, true),
        Tokenizer.of(Tokenizer.Kind.REGEX, "(?U)\\w+|[^\\w\\s]|\\n", true));
    for (Tokenizer tokenizer : tokenizers) {
      for (int partitions : new int[] {1, 3, 16}) { // 16: partitions without lines
        JavaRDD<String> lines = sc.parallelize(LINES, partitions);
        TextCensus census = TextCensus.of(lines, tokenizer);
        for (int minCount : new int[] {1, 3}) { // 3: unknown tokens
          Vocabulary vocab = census.vocabulary(minCount, 0);
          TokenText found = census.encode(vocab);
          TokenText hashed = TokenText.of(lines.map(vocab::encodeLine));
          String where = tokenizer + ", " + partitions + " partitions, min count " + minCount;
          assertArrayEquals(hashed.starts(), found.starts(), where);
          assertEquals(hashed.content(), found.content(), where);
          assertEquals(hashed.length(), found.length(), where);
          assertArrayEquals(hashed.chunks().collect().toArray(),
              found.chunks().collect().toArray(), where);
        }
      }
    }
  }

  @Test
  void theLineBreakCountsLinesAndTheVocabularyKeepsWhatItCounts() {
    JavaRDD<String> lines = sc.parallelize(List.of("ab\nb", "a", "b"), 2);
    // "\n" is counted once per line (3), not per break (4): the rule of the first releases.
    assertEquals(List.of(Vocabulary.UNKNOWN, "\n", "b"),
        TextCensus.of(lines, Tokenizer.CHARS).vocabulary(3, 0).tokens());
    assertEquals(List.of(Vocabulary.UNKNOWN),
        TextCensus.of(lines, Tokenizer.CHARS).vocabulary(4, 0).tokens());
    assertEquals(List.of(Vocabulary.UNKNOWN, "\n", "a", "b"),
        TextSource.vocabulary(lines, Tokenizer.CHARS, 1, 0).tokens());
  }
}
