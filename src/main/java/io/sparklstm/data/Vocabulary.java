package io.sparklstm.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token strings and their ids. Id 0 is the unknown token, for anything not in the vocabulary;
 * the rest are sorted, so the same corpus always gives the same ids. Character vocabularies hold
 * one code point per token; word vocabularies whitespace-separated words; both keep the newline
 * as a token of its own.
 */
public final class Vocabulary implements Serializable {
  public static final String UNKNOWN = "<unk>";
  public static final String NEWLINE = "\n";

  private final boolean words;
  private final List<String> tokens;
  private final Map<String, Integer> ids = new HashMap<>();

  public Vocabulary(boolean words, List<String> sortedTokens) {
    this.words = words;
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

  public boolean words() {
    return words;
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
  public static List<String> split(String line, boolean words) {
    List<String> out = new ArrayList<>();
    if (words) {
      for (String w : line.strip().split("\\s+")) {
        if (!w.isEmpty()) {
          out.add(w);
        }
      }
    } else {
      line.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
    }
    out.add(NEWLINE);
    return out;
  }

  /** Ids of a line (with its newline). */
  public int[] encodeLine(String line) {
    List<String> parts = split(line, words);
    int[] out = new int[parts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = id(parts.get(i));
    }
    return out;
  }

  /** Ids of a text (no newline appended), token by token. */
  public int[] encode(String text) {
    String[] parts = tokens(text, words);
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = id(parts[i]);
    }
    return out;
  }

  /** A text's tokens as {@link #encode} reads them: whitespace-separated words, or characters. */
  public static String[] tokens(String text, boolean words) {
    if (words) {
      return text.strip().split("\\s+");
    }
    return text.codePoints().mapToObj(cp -> new String(Character.toChars(cp)))
        .toArray(String[]::new);
  }

  /** Text of a sequence of ids: characters joined directly, words with spaces. */
  public String decode(int[] ids, int from, int to) {
    StringBuilder s = new StringBuilder();
    for (int i = from; i < to; i++) {
      String t = token(ids[i]);
      if (words && s.length() > 0 && !t.equals(NEWLINE) && s.charAt(s.length() - 1) != '\n') {
        s.append(' ');
      }
      s.append(t);
    }
    return s.toString();
  }
}
