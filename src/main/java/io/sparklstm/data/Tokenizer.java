package io.sparklstm.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a text becomes tokens. It travels with a model's vocabulary (and its saved file), so that
 * scoring splits text exactly as training did. Lower-casing, when on, comes first, over the whole
 * text ({@code toLowerCase(Locale.ROOT)}, so the result does not depend on the JVM's locale);
 * then:
 *
 * <ul>
 *   <li>{@link Kind#CHARS}: every code point is a token;
 *   <li>{@link Kind#WHITESPACE}: the text is stripped of leading and trailing whitespace (as
 *       {@link Character#isWhitespace} knows it), then runs of the six ASCII whitespace
 *       characters (space, tab, line feed, vertical tab, form feed, carriage return) separate
 *       tokens: other spaces, e.g. U+00A0 or U+2003 inside a text, do not. This is the rule of
 *       the first releases, kept so that their models and data keep their token ids;
 *   <li>{@link Kind#REGEX}: every non-empty match of a Java regular expression is a token (the
 *       pattern matches the tokens, not the gaps between them, like spark.ml's
 *       {@code RegexTokenizer} with {@code gaps = false}); text between matches is dropped.
 * </ul>
 *
 * No tokenizer returns an empty token; a text without tokens gives none.
 */
public final class Tokenizer implements Serializable {
  /** How tokens are found. */
  public enum Kind {
    CHARS, WHITESPACE, REGEX
  }

  /** What a model without a saved tokenizer (its files predate it) tokenizes with. */
  public static final Tokenizer CHARS = new Tokenizer(Kind.CHARS, null, false);

  public static final Tokenizer WHITESPACE = new Tokenizer(Kind.WHITESPACE, null, false);

  private static final Pattern ASCII_SPACES = Pattern.compile("\\s+");

  private final Kind kind;
  private final Pattern pattern;
  private final boolean lowercase;

  private Tokenizer(Kind kind, Pattern pattern, boolean lowercase) {
    this.kind = kind;
    this.pattern = pattern;
    this.lowercase = lowercase;
  }

  /** Characters or whitespace-separated words, as the first releases split text. */
  public static Tokenizer of(boolean words) {
    return words ? WHITESPACE : CHARS;
  }

  /**
   * A tokenizer of {@code kind}; {@code regex} is its pattern for {@link Kind#REGEX} and must be
   * null otherwise. A malformed pattern fails with {@link java.util.regex.PatternSyntaxException}.
   */
  public static Tokenizer of(Kind kind, String regex, boolean lowercase) {
    if ((kind == Kind.REGEX) != (regex != null)) {
      throw new IllegalArgumentException("a pattern is for a regex tokenizer alone: " + kind
          + ", " + regex);
    }
    return new Tokenizer(kind, regex == null ? null : Pattern.compile(regex), lowercase);
  }

  public Kind kind() {
    return kind;
  }

  /** Whether tokens are words (every kind but characters): decoding puts spaces between them. */
  public boolean words() {
    return kind != Kind.CHARS;
  }

  public boolean lowercase() {
    return lowercase;
  }

  /** The regex tokenizer's pattern; null for the other kinds. */
  public String pattern() {
    return pattern == null ? null : pattern.pattern();
  }

  /** The text as the tokenizer sees it: lower-cased if it lower-cases, else as it is. */
  public String normalize(String text) {
    return lowercase ? text.toLowerCase(Locale.ROOT) : text;
  }

  /** The tokens of {@code text}, none of them empty. */
  public List<String> tokens(String text) {
    String s = normalize(text);
    List<String> out = new ArrayList<>();
    switch (kind) {
      case CHARS -> s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
      case WHITESPACE -> {
        for (String w : ASCII_SPACES.split(s.strip())) {
          if (!w.isEmpty()) { // only a blank text splits into an empty string
            out.add(w);
          }
        }
      }
      case REGEX -> {
        Matcher m = pattern.matcher(s);
        while (m.find()) {
          if (m.end() > m.start()) {
            out.add(m.group());
          }
        }
      }
    }
    return out;
  }

  /**
   * The header fields that describe this tokenizer beside a vocabulary's {@code words} flag:
   * none for the tokenizers of the first releases, so their files stay as they were.
   */
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    if (kind == Kind.REGEX) {
      f.put("tokenizer", "regex");
      f.put("pattern", pattern());
    }
    if (lowercase) {
      f.put("lowercase", true);
    }
    return f;
  }

  /** The tokenizer of {@link #fields} and the {@code words} flag; absent fields: the old rule. */
  public static Tokenizer fromFields(boolean words, Map<String, Object> fields) {
    Object kind = fields.get("tokenizer");
    if (kind != null && !kind.equals("regex")) {
      throw new IllegalArgumentException("unknown tokenizer '" + kind + "'");
    }
    return of(kind != null ? Kind.REGEX : words ? Kind.WHITESPACE : Kind.CHARS,
        (String) fields.get("pattern"), Boolean.TRUE.equals(fields.get("lowercase")));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tokenizer t && t.kind == kind && t.lowercase == lowercase
        && Objects.equals(t.pattern(), pattern());
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, lowercase, pattern());
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(Locale.ROOT) + (pattern == null ? "" : " /" + pattern() + "/")
        + (lowercase ? ", lower-cased" : "");
  }
}
