package io.sparklstm.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token strings and their ids, and the {@link Tokenizer} that splits text into them. Id 0 is the
 * unknown token, for anything not in the vocabulary; the rest are sorted, so the same corpus
 * always gives the same ids. Lines of a language model's text end in the newline, a token of its
 * own.
 */
public final class Vocabulary implements Serializable {
  public static final String UNKNOWN = "<unk>";
  public static final String NEWLINE = "\n";

  private final Tokenizer tokenizer;
  private final List<String> tokens;
  private final Map<String, Integer> ids = new HashMap<>();
  /** Ids of the characters of the Basic Multilingual Plane, built when first needed. */
  private transient volatile int[] charIds;

  public Vocabulary(Tokenizer tokenizer, List<String> sortedTokens) {
    this.tokenizer = tokenizer;
    this.tokens = new ArrayList<>();
    this.tokens.add(UNKNOWN);
    for (String t : sortedTokens) {
      if (!t.equals(UNKNOWN)) {
        tokens.add(t);
      }
    }
    for (int i = 0; i < tokens.size(); i++) {
      ids.put(tokens.get(i), i);
    }
  }

  /** Whitespace-separated words or characters, as the first releases split text. */
  public Vocabulary(boolean words, List<String> sortedTokens) {
    this(Tokenizer.of(words), sortedTokens);
  }

  /**
   * The vocabulary of token counts: the tokens seen at least {@code minCount} times and, when
   * {@code maxSize} is positive, only the {@code maxSize} most frequent of them (equal counts in
   * String order), so the choice follows from the counts alone.
   */
  public static Vocabulary of(Tokenizer tokenizer, Map<String, Long> counts, int minCount,
      int maxSize) {
    Comparator<Map.Entry<String, Long>> frequentFirst = Map.Entry.<String, Long>comparingByValue()
        .reversed().thenComparing(Map.Entry.comparingByKey());
    List<String> kept = new ArrayList<>(counts.entrySet().stream()
        .filter(e -> e.getValue() >= minCount).sorted(frequentFirst)
        .limit(maxSize > 0 ? maxSize : Long.MAX_VALUE).map(Map.Entry::getKey).toList());
    kept.sort(null);
    return new Vocabulary(tokenizer, kept);
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public boolean words() {
    return tokenizer.words();
  }

  public int size() {
    return tokens.size();
  }

  public List<String> tokens() {
    return List.copyOf(tokens);
  }

  public String token(int id) {
    return tokens.get(id);
  }

  public int id(String token) {
    return ids.getOrDefault(token, 0);
  }

  /** The tokens of one line of text, followed by the newline token. */
  public List<String> split(String line) {
    List<String> out = tokenizer.tokens(line);
    out.add(NEWLINE);
    return out;
  }

  /** Ids of a line (with its newline). */
  public int[] encodeLine(String line) {
    if (tokenizer.words()) {
      return ids(split(line));
    }
    // Characters by code point, without a string per character: a language model's whole text
    // passes here.
    String s = tokenizer.normalize(line);
    int[] out = new int[s.codePointCount(0, s.length()) + 1];
    int n = 0;
    for (int i = 0; i < s.length(); i += Character.charCount(s.codePointAt(i))) {
      out[n++] = charId(s.codePointAt(i));
    }
    out[n] = id(NEWLINE);
    return out;
  }

  private int charId(int codePoint) {
    int[] table = charIds;
    if (table == null) { // once per copy: Spark ships the vocabulary to every task
      table = new int[Character.MAX_VALUE + 1];
      for (int c = 0; c < table.length; c++) {
        table[c] = id(String.valueOf((char) c));
      }
      charIds = table;
    }
    return codePoint <= Character.MAX_VALUE ? table[codePoint]
        : id(new String(Character.toChars(codePoint)));
  }

  /** Ids of a text (no newline appended), token by token; none for a text without tokens. */
  public int[] encode(String text) {
    return ids(tokenizer.tokens(text));
  }

  private int[] ids(List<String> parts) {
    int[] out = new int[parts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = id(parts.get(i));
    }
    return out;
  }

  /** Text of a sequence of ids: characters joined directly, words with spaces. */
  public String decode(int[] ids, int from, int to) {
    StringBuilder s = new StringBuilder();
    for (int i = from; i < to; i++) {
      String t = token(ids[i]);
      if (words() && s.length() > 0 && !t.equals(NEWLINE) && s.charAt(s.length() - 1) != '\n') {
        s.append(' ');
      }
      s.append(t);
    }
    return s.toString();
  }
}
