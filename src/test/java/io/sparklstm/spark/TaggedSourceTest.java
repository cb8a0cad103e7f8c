package io.sparklstm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The CoNLL layout as {@link TaggedSource} reads it: sentences, and a bad line's message. */
class TaggedSourceTest {
  private static List<TaggedSource.TaggedText> parse(String text) {
    return TaggedSource.parseConll("f.conll", text, 100);
  }

  private static void fails(String text, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parse(text));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void sentencesAreSplitAtBlankLinesAndDocstartIsSkipped() {
    List<TaggedSource.TaggedText> s = parse("-DOCSTART- -X- -X- O\n\nAnna\tB-PER\r\nsaid O\n\n"
        + "-DOCSTART- O\n\n#  O\nOslo   B-LOC\n");
    assertEquals(2, s.size());
    assertArrayEquals(new String[] {"Anna", "said"}, s.get(0).tokens());
    assertArrayEquals(new String[] {"B-PER", "O"}, s.get(0).tags());
    assertEquals("f.conll line 3", s.get(0).at());
    assertArrayEquals(new String[] {"#", "Oslo"}, s.get(1).tokens(), "# is a token");
    assertEquals("f.conll line 8", s.get(1).at());
  }

  @Test
  void badLinesFailNamingFileAndLine() {
    fails("Anna B-PER\nsaid\n", "f.conll line 2: 1 column (said)");
    fails("Anna B-PER\nsaid\t\n", "f.conll line 2: 1 column (said)"); // an empty tag
    fails("Anna B-PER NNP\n", "f.conll line 1: 3 columns");
    fails("# text = Anna said\nAnna B-PER\n", "f.conll line 1: 5 columns");
    fails("Anna B-PER\n\n\nsaid O\n", "f.conll line 3: a blank line that ends no sentence");
    fails("\nAnna B-PER\n", "f.conll line 1: a blank line that ends no sentence");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TaggedSource.parseConll("f.conll", "a O\nb O\nc O\n", 2));
    assertTrue(e.getMessage().startsWith("f.conll line 1: a sentence of 3 tokens, longer than "
        + "text.max.length = 2"), e.getMessage());
  }
}
