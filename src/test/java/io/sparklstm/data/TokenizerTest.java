package io.sparklstm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparklstm.data.Tokenizer.Kind;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

/** Each tokenizer on text with punctuation, Unicode, blanks and separators at both ends. */
class TokenizerTest {
  static final String DEFAULT_PATTERN = "(?U)\\w+|[^\\w\\s]";

  @Test
  void whitespaceSplitsOnAsciiWhitespaceAsTheFirstReleasesDid() {
    Tokenizer t = Tokenizer.WHITESPACE;
    assertEquals(List.of("Hello,", "world!"), t.tokens("  Hello,\tworld!\r\n\u000B\f"));
    assertEquals(List.of("a", "b"), t.tokens("a \t\n b"));
    // Inside a text only ASCII whitespace separates; at its ends any whitespace is stripped.
    assertEquals(List.of("a\u00A0b", "c\u2003d"), t.tokens("a\u00A0b c\u2003d"));
    assertEquals(List.of("x"), t.tokens("\u2003x\u2003"));
    assertEquals(List.of("Ünïcode", "日本語", "\uD83D\uDE00"),
        t.tokens("Ünïcode 日本語 \uD83D\uDE00"));
    assertEquals(List.of(), t.tokens(""));
    assertEquals(List.of(), t.tokens(" \t\n "));
  }

  @Test
  void regexTakesTheMatchesAndDropsTheTextBetweenThem() {
    Tokenizer words = Tokenizer.of(Kind.REGEX, DEFAULT_PATTERN, false);
    assertEquals(List.of("Hello", ",", "wörld", "!", "¿", "Qué", "?", "it", "'", "s", "3", ".",
        "5", "日本語", "\uD83D\uDE00"),
        words.tokens("Hello, wörld! ¿Qué? it's 3.5 日本語\uD83D\uDE00"));
    // Separators at both ends and in runs give no empty tokens.
    Tokenizer fields = Tokenizer.of(Kind.REGEX, "[^,]+", false);
    assertEquals(List.of("a", "b c"), fields.tokens(",,a,,b c,,"));
    assertEquals(List.of(), fields.tokens(",,,"));
    assertEquals(List.of(), fields.tokens(""));
    // A pattern that can match the empty string yields its non-empty matches alone.
    assertEquals(List.of("aa", "a"), Tokenizer.of(Kind.REGEX, "a*", false).tokens("baabxa"));
    assertThrows(PatternSyntaxException.class, () -> Tokenizer.of(Kind.REGEX, "(", false));
  }

  @Test
  void charactersAreCodePoints() {
    assertEquals(List.of("\uD83D\uDE00", "e", "\u0301", " ", ","),
        Tokenizer.CHARS.tokens("\uD83D\uDE00e\u0301 ,"));
    assertEquals(List.of(), Tokenizer.CHARS.tokens(""));
  }

  @Test
  void lowerCasingComesFirstFollowsUnicodeAndNotTheLocale() {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr")); // where "I" lower-cases to a dotless ı
    try {
      Tokenizer ws = Tokenizer.of(Kind.WHITESPACE, null, true);
      assertEquals(List.of("école", "straße", "οδος", "title", "ǆ"),
          ws.tokens("ÉCOLE Straße ΟΔΟΣ TITLE ǅ"));
      Tokenizer re = Tokenizer.of(Kind.REGEX, DEFAULT_PATTERN, true);
      assertEquals(List.of("hello", ",", "wörld"), re.tokens("HELLO, WÖRLD"));
      assertEquals(List.of("a", "é"), Tokenizer.of(Kind.CHARS, null, true).tokens("AÉ"));
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void fieldsRoundTripAndTheFirstReleasesTokenizersHaveNone() {
    assertEquals(Map.of(), Tokenizer.WHITESPACE.fields());
    assertEquals(Map.of(), Tokenizer.CHARS.fields());
    assertEquals(Tokenizer.WHITESPACE, Tokenizer.fromFields(true, Map.of()));
    assertEquals(Tokenizer.CHARS, Tokenizer.fromFields(false, Map.of()));
    for (Tokenizer t : List.of(Tokenizer.of(Kind.REGEX, "\\S+", true),
        Tokenizer.of(Kind.REGEX, "[a-z]+", false), Tokenizer.of(Kind.WHITESPACE, null, true),
        Tokenizer.of(Kind.CHARS, null, true))) {
      assertEquals(t, Tokenizer.fromFields(t.words(), t.fields()), t.toString());
    }
    assertThrows(IllegalArgumentException.class,
        () -> Tokenizer.fromFields(true, Map.of("tokenizer", "bpe")));
  }

  @Test
  void theVocabularyCapKeepsTheMostFrequentWithTiesInStringOrder() {
    Map<String, Long> counts = Map.of("d", 5L, "c", 3L, "a", 3L, "b", 3L, "e", 1L, "f", 2L);
    assertEquals(List.of("<unk>", "a", "d"), Vocabulary.of(Tokenizer.WHITESPACE, counts, 1, 2)
        .tokens());
    assertEquals(List.of("<unk>", "a", "b", "c", "d"), Vocabulary.of(Tokenizer.WHITESPACE,
        counts, 1, 4).tokens());
    // With the minimum count: only d and the three 3s qualify, the cap picks among them.
    assertEquals(List.of("<unk>", "a", "b", "d"), Vocabulary.of(Tokenizer.WHITESPACE, counts, 3,
        3).tokens());
    // 0 (and a cap above the count) keep every token the minimum count keeps, sorted.
    assertEquals(List.of("<unk>", "a", "b", "c", "d", "f"), Vocabulary.of(Tokenizer.WHITESPACE,
        counts, 2, 0).tokens());
    assertEquals(List.of("<unk>", "a", "b", "c", "d", "f"), Vocabulary.of(Tokenizer.WHITESPACE,
        counts, 2, 100).tokens());
    Vocabulary v = Vocabulary.of(Tokenizer.WHITESPACE, counts, 1, 2);
    assertEquals(0, v.id("b"), "a token beyond the cap is unknown");
    assertEquals(2, v.id("d"));
  }

  @Test
  void aVocabularyEncodesWithItsTokenizer() {
    Vocabulary v = new Vocabulary(Tokenizer.of(Kind.REGEX, DEFAULT_PATTERN, true),
        List.of("\n", "!", "hello", "world"));
    assertArrayEquals(new int[] {3, 4, 2}, v.encode("HELLO World!"));
    assertArrayEquals(new int[] {3, 0, 1}, v.encodeLine("Hello ?"));
    assertArrayEquals(new int[] {}, v.encode("  \t "));
  }

  @Test
  void aCharacterVocabularyEncodesEveryCodePointAsItsToken() {
    // Outside the BMP, a lone surrogate, the last BMP character, lower-cased, unknown ones.
    Vocabulary v = new Vocabulary(Tokenizer.of(Kind.CHARS, null, true), List.of("\n", "a",
        "\uD834\uDD1E", "\uD834", "\uFFFF", "\u00e9"));
    assertArrayEquals(new int[] {2, 6, 0, 3, 4, 5, 2, 0, 1}, v.encodeLine("A\u00c9z\uD834\uDD1E"
        + "\uD834\uFFFFa\uD835"));
    for (String line : List.of("", "Call me Ishmael.", "\uD834\uDD1E\u00e9\n")) {
      List<String> tokens = v.split(line);
      assertArrayEquals(tokens.stream().mapToInt(v::id).toArray(), v.encodeLine(line), line);
    }
  }
}
