package io.sparklstm.ml;

import io.sparklstm.data.Example;
import io.sparklstm.data.Vocabulary;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The kinds of column a sequence model reads, and one row's value as a sequence: a string
 * (tokenised with the model's vocabulary), an array of tokens (e.g. from {@code RegexTokenizer}),
 * or dense steps ({@code array<array<float|double>>} or {@code array<vector>}). Sequences are cut
 * to their first {@code maxLength} steps; an empty token sequence is the unknown token alone,
 * as the jobs read it.
 */
enum SequenceColumn {
  TEXT("string"), TOKENS("token-array"), DENSE("dense-sequence");

  private final String description;

  SequenceColumn(String description) {
    this.description = description;
  }

  /** What the column holds, in words: "string", "token-array", "dense-sequence". */
  String description() {
    return description;
  }

  /** The kind of {@code column} in {@code schema}; fails naming the column and what it holds. */
  static SequenceColumn of(StructType schema, String column, String who) {
    if (!Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException(who + ": no column '" + column + "' among "
          + Arrays.toString(schema.fieldNames()));
    }
    DataType t = schema.apply(column).dataType();
    if (t.equals(DataTypes.StringType)) {
      return TEXT;
    }
    if (t instanceof ArrayType a) {
      DataType e = a.elementType();
      if (e.equals(DataTypes.StringType)) {
        return TOKENS;
      }
      if (e.equals(SQLDataTypes.VectorType()) || (e instanceof ArrayType s
          && (s.elementType().equals(DataTypes.FloatType)
          || s.elementType().equals(DataTypes.DoubleType)))) {
        return DENSE;
      }
    }
    throw new IllegalArgumentException(who + ": column '" + column + "' is " + t.simpleString()
        + "; expected string, array<string>, array<array<float>> or array<vector>");
  }

  /** Token ids of a TEXT or TOKENS value, cut to {@code maxLength}. */
  private int[] tokenIds(Object value, Vocabulary vocab, int maxLength, String where) {
    int[] ids;
    if (this == TEXT) {
      ids = vocab.encode((String) value);
    } else {
      List<?> tokens = list(value);
      ids = new int[tokens.size()];
      for (int i = 0; i < ids.length; i++) {
        Object token = tokens.get(i);
        if (token == null) { // not the unknown token: a wrong input, not a rare word
          throw new IllegalArgumentException(where + ": token " + (i + 1) + " is null");
        }
        ids[i] = vocab.id(vocab.tokenizer().normalize((String) token));
      }
    }
    return ids.length == 0 ? new int[] {0} : Arrays.copyOf(ids, Math.min(ids.length, maxLength));
  }

  /**
   * The labelled sequence of a row's value: token ids, or dense steps of {@code width} finite
   * features each. {@code where} names the row in error messages.
   */
  Example example(Object value, Vocabulary vocab, int maxLength, int width, int label,
      String where) {
    if (value == null) {
      throw new IllegalArgumentException(where + ": the sequence is null");
    }
    return this == DENSE ? Example.ofFeatures(features(value, width, maxLength, where), width,
        label) : Example.ofTokens(tokenIds(value, vocab, maxLength, where), label);
  }

  /** Features per step of a DENSE value (its first step), for the model's input size. */
  static int width(Object value, String where) {
    List<?> steps = value == null ? List.of() : list(value);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException(where + ": no feature steps");
    }
    int width = step(steps.get(0), 0, where).length;
    if (width == 0) {
      throw new IllegalArgumentException(where + ": step 1 has no features");
    }
    return width;
  }

  private static float[] features(Object value, int width, int maxLength, String where) {
    List<?> steps = list(value);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException(where + ": no feature steps");
    }
    int n = Math.min(steps.size(), maxLength);
    float[] out = new float[n * width];
    for (int s = 0; s < n; s++) {
      double[] step = step(steps.get(s), s, where);
      if (step.length != width) {
        throw new IllegalArgumentException(where + ": step " + (s + 1) + " has " + step.length
            + " features, expected " + width);
      }
      for (int j = 0; j < width; j++) {
        float v = (float) step[j];
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException(where + ": feature " + (j + 1) + " of step "
              + (s + 1) + " is " + v + "; features must be finite numbers");
        }
        out[s * width + j] = v;
      }
    }
    return out;
  }

  /** Step {@code s} (0-based) of a DENSE value as numbers. */
  private static double[] step(Object step, int s, String where) {
    if (step == null) {
      throw new IllegalArgumentException(where + ": step " + (s + 1) + " is null");
    }
    if (step instanceof Vector v) {
      return v.toArray();
    }
    List<?> values = list(step);
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(values.get(i) instanceof Number n)) {
        throw new IllegalArgumentException(where + ": feature " + (i + 1) + " of step "
            + (s + 1) + " is null");
      }
      out[i] = n.doubleValue();
    }
    return out;
  }

  /** A Spark array value (a Scala Seq in rows, a Java list from users) as a list. */
  static List<?> list(Object value) {
    if (value instanceof Seq<?> seq) {
      return CollectionConverters.asJava(seq);
    }
    if (value instanceof Object[] array) {
      return Arrays.asList(array);
    }
    return (List<?>) value;
  }
}
