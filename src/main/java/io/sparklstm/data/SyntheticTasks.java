package io.sparklstm.data;

import io.sparklstm.nn.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Generated tasks that can only be solved with long memory; the tests and the demo train on them.
 */
public final class SyntheticTasks {
  private SyntheticTasks() {}

  /**
   * Remember the first symbol: a sequence starts with one of {@code classes} marker tokens, then
   * {@code minLength-1..maxLength-1} noise tokens; the label is the marker. The deciding symbol is
   * at least {@code minLength - 1} steps before the end. Vocabulary: classes + noise.
   */
  public static List<Example> recallFirstSymbol(int n, int classes, int noise, int minLength,
      int maxLength, long seed) {
    Rng rng = new Rng(seed);
    List<Example> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int label = rng.nextInt(classes);
      int len = minLength + rng.nextInt(maxLength - minLength + 1);
      int[] tokens = new int[len];
      tokens[0] = label;
      for (int t = 1; t < len; t++) {
        tokens[t] = classes + rng.nextInt(noise);
      }
      out.add(Example.ofTokens(tokens, label));
    }
    return out;
  }

  /**
   * A tagging language whose tag needs both sides: {@code n} sentences of {@code minLength ..
   * maxLength} tokens drawn uniformly from {@code symbols}; the tag of token t is
   * {@code (x[t-1] + x[t+1]) mod tags}, with {@code x = 0} beyond either end. Reading left to
   * right, the next token is unknown when a tag is due, so one direction can only guess it from
   * the previous token: right about {@code 1/tags} of the time.
   */
  public static List<Example> contextTags(int n, int symbols, int tags, int minLength,
      int maxLength, long seed) {
    Rng rng = new Rng(seed);
    List<Example> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int len = minLength + rng.nextInt(maxLength - minLength + 1);
      int[] tokens = new int[len];
      for (int t = 0; t < len; t++) {
        tokens[t] = rng.nextInt(symbols);
      }
      int[] tagIds = new int[len];
      for (int t = 0; t < len; t++) {
        int before = t == 0 ? 0 : tokens[t - 1];
        int after = t == len - 1 ? 0 : tokens[t + 1];
        tagIds[t] = (before + after) % tags;
      }
      out.add(Example.ofTagged(tokens, tagIds));
    }
    return out;
  }

  /**
   * A language of bracketed records: an opening key {@code k} (one of {@code keys}), a random run
   * of {@code minFill..maxFill} filler symbols, an END symbol, and the closing symbol
   * {@code keys + k} that matches the key. Only memory of the key, up to {@code maxFill + 1}
   * steps back, predicts the closing symbol.
   *
   * <p>Token ids: keys {@code [0, keys)}, closers {@code [keys, 2 keys)}, END {@code 2 keys},
   * fillers after that; vocabulary {@code 2 keys + 1 + fillers}.
   */
  public static int[] bracketLanguage(int length, int keys, int fillers, int minFill, int maxFill,
      long seed) {
    Rng rng = new Rng(seed);
    int[] text = new int[length];
    int i = 0;
    while (i < length) {
      int key = rng.nextInt(keys);
      int fill = minFill + rng.nextInt(maxFill - minFill + 1);
      int[] record = new int[fill + 3];
      record[0] = key;
      for (int f = 0; f < fill; f++) {
        record[1 + f] = 2 * keys + 1 + rng.nextInt(fillers);
      }
      record[fill + 1] = 2 * keys;
      record[fill + 2] = keys + key;
      for (int r = 0; r < record.length && i < length; r++) {
        text[i++] = record[r];
      }
    }
    return text;
  }

  public static int bracketVocabulary(int keys, int fillers) {
    return 2 * keys + 1 + fillers;
  }

  /**
   * Pairs of a random sequence of {@code minLength..maxLength} symbols (source ids
   * {@code 0..symbols-1}) and the same symbols reversed ({@code reverse}) or in order, as target
   * ids {@code 1..symbols} (0 is the end of sequence).
   */
  public static List<Pair> reverseOrCopy(int n, int symbols, int minLength, int maxLength,
      boolean reverse, long seed) {
    Rng rng = new Rng(seed);
    List<Pair> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int len = minLength + rng.nextInt(maxLength - minLength + 1);
      int[] source = new int[len];
      int[] target = new int[len];
      for (int t = 0; t < len; t++) {
        source[t] = rng.nextInt(symbols);
      }
      for (int t = 0; t < len; t++) {
        target[t] = 1 + source[reverse ? len - 1 - t : t];
      }
      out.add(new Pair(source, target));
    }
    return out;
  }
}
