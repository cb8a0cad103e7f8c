package io.sparklstm.spark;

import io.sparklstm.data.Example;
import io.sparklstm.nn.Rng;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;

/**
 * A 64-bit fingerprint of a sequence of values (tokens, or examples) and its length, computed
 * piecewise: each Spark partition hashes its part and the driver joins the parts in partition
 * order, which gives the hash of the whole sequence however the input happens to be split.
 * The hash of {@code v_1 .. v_n} is {@code sum Rng.mix(v_i) * M^(n-i)} modulo 2^64, so that
 * {@code H(AB) = H(A) * M^|B| + H(B)}. It detects changed data; it is no cryptographic digest.
 */
public record ContentHash(long count, long hash) implements Serializable {
  private static final long M = 0x9E3779B97F4A7C15L;
  /** M^-1 modulo 2^64 (M is odd): Newton's iteration doubles the correct low bits each step. */
  static final long M_INVERSE = inverse(M);
  public static final ContentHash EMPTY = new ContentHash(0, 0);

  /** This sequence followed by {@code next}. */
  public ContentHash then(ContentHash next) {
    return new ContentHash(count + next.count, hash * power(next.count) + next.hash);
  }

  public String hex() {
    return String.format(Locale.ROOT, "%016x", hash);
  }

  /** The parts in order, joined. */
  public static ContentHash join(List<ContentHash> parts) {
    ContentHash all = EMPTY;
    for (ContentHash p : parts) {
      all = all.then(p);
    }
    return all;
  }

  /**
   * The hash of {@code count} tokens from {@code sum}, the sum over its tokens i (from 1) of
   * {@code mix(id_i) * M^-i} ({@link TextCensus}): multiplied by M^count, the hash's sum.
   */
  static ContentHash ofTokenSums(long count, long sum) {
    return new ContentHash(count, power(count) * sum);
  }

  /** What one value adds to the hash before its place's power of M. */
  static long mix(long value) {
    return Rng.mix(value);
  }

  /** One pass over token chunks: each partition's token count and hash, in partition order. */
  public static List<ContentHash> tokenParts(JavaRDD<int[]> chunks) {
    return chunks.mapPartitions(it -> {
      long n = 0;
      long h = 0;
      while (it.hasNext()) {
        for (int t : it.next()) {
          h = step(h, t);
          n++;
        }
      }
      return List.of(new ContentHash(n, h)).iterator();
    }).collect();
  }

  /**
   * Labelled examples' count and hash, and how many examples carry each label (tagged
   * sequences: how many tokens carry each tag).
   */
  public record Labelled(ContentHash content, Map<Integer, Long> labels)
      implements Serializable {}

  /** One pass over labelled examples in their order: their count, hash and label counts. */
  public static Labelled ofExamples(JavaRDD<Example> examples) {
    List<Labelled> parts = examples.mapPartitions(it -> {
      long n = 0;
      long h = 0;
      Map<Integer, Long> labels = new HashMap<>();
      while (it.hasNext()) {
        Example e = it.next();
        h = step(h, hash(e));
        n++;
        if (e.tags() == null) {
          labels.merge(e.label(), 1L, Long::sum);
        } else {
          for (int tag : e.tags()) {
            labels.merge(tag, 1L, Long::sum);
          }
        }
      }
      return List.of(new Labelled(new ContentHash(n, h), labels)).iterator();
    }).collect();
    Map<Integer, Long> labels = new HashMap<>();
    parts.forEach(p -> p.labels().forEach((label, n) -> labels.merge(label, n, Long::sum)));
    return new Labelled(join(parts.stream().map(Labelled::content).toList()), labels);
  }

  /** An example's own hash: its label, width, length and every token, tag or feature value. */
  static long hash(Example e) {
    long h = step(step(0, e.label()), e.width());
    if (e.tokens() != null) {
      for (int t : e.tokens()) {
        h = step(h, t);
      }
      if (e.tags() != null) {
        for (int t : e.tags()) {
          h = step(h, t);
        }
      }
    } else {
      for (float f : e.features()) {
        h = step(h, Float.floatToRawIntBits(f));
      }
    }
    return step(h, e.steps());
  }

  private static long step(long h, long value) {
    return h * M + mix(value);
  }

  private static long inverse(long odd) {
    long x = odd; // right in the low 3 bits: odd * odd = 1 modulo 8
    for (int i = 0; i < 5; i++) {
      x *= 2 - odd * x;
    }
    return x;
  }

  private static long power(long n) {
    long result = 1;
    long base = M;
    for (long e = n; e > 0; e >>>= 1) {
      if ((e & 1) != 0) {
        result *= base;
      }
      base *= base;
    }
    return result;
  }
}
