package io.sparklstm.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The vocabulary of one side of a pair: its reserved tokens first, then the tokens seen in
 * training in sorted order. A source vocabulary reserves {@code <unk>} (id 0); a target
 * vocabulary reserves {@code </s>} (id 0, {@link io.sparklstm.nn.Seq2SeqSpec#EOS}) and
 * {@code <unk>} (id 1), which no training target uses, so a model never writes it.
 */
public final class TokenIds implements Serializable {
  public static final String EOS = "</s>";

  private final List<String> tokens;
  private final Map<String, Integer> ids = new HashMap<>();
  private final int unknown;

  /** A vocabulary of these tokens in this order (as saved). */
  public TokenIds(List<String> tokens) {
    this.tokens = List.copyOf(tokens);
    for (int i = 0; i < tokens.size(); i++) {
      ids.putIfAbsent(tokens.get(i), i);
    }
    Integer unk = ids.get(Vocabulary.UNKNOWN);
    if (unk == null) {
      throw new IllegalArgumentException("a vocabulary without " + Vocabulary.UNKNOWN);
    }
    this.unknown = unk;
  }

  /** The source vocabulary of tokens seen (any order; sorted here). */
  public static TokenIds source(List<String> seen) {
    return new TokenIds(with(List.of(Vocabulary.UNKNOWN), seen));
  }

  /** The target vocabulary of tokens seen (any order; sorted here). */
  public static TokenIds target(List<String> seen) {
    return new TokenIds(with(List.of(EOS, Vocabulary.UNKNOWN), seen));
  }

  private static List<String> with(List<String> reserved, List<String> seen) {
    List<String> out = new ArrayList<>(reserved);
    seen.stream().filter(t -> !reserved.contains(t)).distinct().sorted().forEach(out::add);
    return out;
  }

  public int size() {
    return tokens.size();
  }

  public List<String> tokens() {
    return tokens;
  }

  public int[] ids(String[] text) {
    int[] out = new int[text.length];
    for (int i = 0; i < text.length; i++) {
      out[i] = ids.getOrDefault(text[i], unknown);
    }
    return out;
  }

  public List<String> tokens(int[] ids) {
    List<String> out = new ArrayList<>(ids.length);
    for (int id : ids) {
      out.add(tokens.get(id));
    }
    return out;
  }
}
