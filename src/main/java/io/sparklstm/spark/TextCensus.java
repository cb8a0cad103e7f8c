package io.sparklstm.spark;

import io.sparklstm.data.Tokenizer;
import io.sparklstm.data.Vocabulary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * What one pass over a text's lines tells before its token ids are known: each token's count
 * (the vocabulary), and for each input partition its length and content hash, which a second
 * pass would otherwise find by encoding the text. The hash of a partition's ids {@code t_1 ..
 * t_n} is {@code sum mix(t_i) M^(n-i)} ({@link ContentHash}), so grouping the terms by token
 * gives {@code M^n sum_token mix(id(token)) S(token)} with {@code S(token) = sum M^-i} over the
 * token's places i: the pass adds up S per token and partition, and once the vocabulary gives
 * the ids a small job over the distinct tokens (the pass's shuffle output, not the text) sums the
 * terms. Spark sums the counts; the driver receives only the tokens it keeps.
 */
public final class TextCensus {
  private final JavaRDD<String> lines;
  private final Tokenizer tokenizer;
  /** Token to (partition, count for the vocabulary, occurrences, S) quadruples. */
  private final JavaPairRDD<String, long[]> stats;

  private TextCensus(JavaRDD<String> lines, Tokenizer tokenizer) {
    this.lines = lines;
    this.tokenizer = tokenizer;
    this.stats = lines.mapPartitionsWithIndex((p, it) -> {
      Tally tally = new Tally();
      it.forEachRemaining(line -> tally.line(line, tokenizer));
      return tally.pairs(p).iterator();
    }, true).mapToPair(t -> t).reduceByKey(TextCensus::concat);
  }

  /** The census of {@code lines} as {@code tokenizer} splits them (computed when first asked). */
  public static TextCensus of(JavaRDD<String> lines, Tokenizer tokenizer) {
    return new TextCensus(lines, tokenizer);
  }

  /**
   * The vocabulary of the tokens seen at least {@code minCount} times, at most {@code maxSize}
   * of them (0: all; {@link Vocabulary#of}).
   */
  public Vocabulary vocabulary(int minCount, int maxSize) {
    Map<String, Long> counts = new HashMap<>(stats.mapValues(TextCensus::count)
        .filter(t -> t._2 >= minCount).collectAsMap());
    return Vocabulary.of(tokenizer, counts, minCount, maxSize);
  }

  /**
   * The text encoded with {@code vocab} (each line's ids and the newline's), with its partitions'
   * lengths and content hash found from the census: the same as {@link TokenText#of} of the
   * encoded lines, without encoding them to find it.
   */
  public TokenText encode(Vocabulary vocab) {
    int parts = lines.getNumPartitions();
    long[] sums = stats.mapPartitions(it -> {
      long[] s = new long[2 * parts]; // lengths, then hash sums, per partition
      it.forEachRemaining(t -> {
        long mix = ContentHash.mix(vocab.id(t._1));
        for (int k = 0; k < t._2.length; k += 4) {
          int p = (int) t._2[k];
          s[p] += t._2[k + 2];
          s[parts + p] += mix * t._2[k + 3];
        }
      });
      return List.of(s).iterator();
    }).reduce((a, b) -> {
      long[] s = new long[a.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = a[i] + b[i]; // modulo 2^64, as the hash is
      }
      return s;
    });
    List<ContentHash> hashes = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      hashes.add(ContentHash.ofTokenSums(sums[p], sums[parts + p]));
    }
    return TokenText.of(lines.map(vocab::encodeLine), hashes);
  }

  private static long count(long[] quadruples) {
    long n = 0;
    for (int k = 1; k < quadruples.length; k += 4) {
      n += quadruples[k];
    }
    return n;
  }

  private static long[] concat(long[] a, long[] b) {
    long[] c = new long[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** One partition's tokens: count and S per token, in reading order. */
  private static final class Tally {
    private final Map<String, long[]> words = new HashMap<>();
    private final Map<Integer, long[]> chars = new HashMap<>(); // without a string per character
    private final long[] newline = new long[2];
    private long power = 1; // M^-i at the i-th token

    void line(String line, Tokenizer tokenizer) {
      if (tokenizer.words()) {
        for (String w : tokenizer.tokens(line)) {
          add(words.computeIfAbsent(w, k -> new long[2]));
        }
      } else {
        tokenizer.normalize(line).codePoints()
            .forEach(cp -> add(chars.computeIfAbsent(cp, k -> new long[2])));
      }
      add(newline);
    }

    private void add(long[] countAndSum) {
      power *= ContentHash.M_INVERSE;
      countAndSum[0]++;
      countAndSum[1] += power;
    }

    /**
     * (token, (partition, count, occurrences, S)). The line break's count is the number of
     * lines (the vocabulary's rule since its first release, also for texts holding a line break
     * of their own, which a classifier's may); its occurrences and S are all of them.
     */
    List<Tuple2<String, long[]>> pairs(int partition) {
      Map<String, long[]> all = new HashMap<>(words);
      chars.forEach((cp, v) -> all.put(new String(Character.toChars(cp)), v));
      List<Tuple2<String, long[]>> out = new ArrayList<>(all.size() + 1);
      long[] inside = all.remove(Vocabulary.NEWLINE);
      all.forEach((t, v) -> out.add(new Tuple2<>(t, new long[] {partition, v[0], v[0], v[1]})));
      if (newline[0] > 0) {
        long[] v = inside == null ? new long[2] : inside;
        out.add(new Tuple2<>(Vocabulary.NEWLINE,
            new long[] {partition, newline[0], newline[0] + v[0], newline[1] + v[1]}));
      }
      return out;
    }
  }
}
