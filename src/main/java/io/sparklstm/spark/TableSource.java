package io.sparklstm.spark;

import io.sparklstm.data.Example;
import io.sparklstm.data.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Labelled sequences through Spark SQL and Hadoop: texts with labels from CSV or Parquet
 * (columns {@code text} and {@code label}), a directory per class of text files, and float
 * feature sequences from Parquet (columns {@code features}: array of steps, each an array of
 * floats, and {@code label}). Rows are checked on the executors: labels in range, feature rows of
 * one width, no NaN or infinity; a bad row fails the job naming the row and what was expected.
 */
public final class TableSource {
  private TableSource() {}

  /** A labelled text: the raw string and its class. */
  public record LabelledText(String text, int label) implements java.io.Serializable {}

  public static JavaRDD<LabelledText> texts(JavaSparkContext sc, String format, String path,
      int classes) {
    JavaRDD<LabelledText> rows;
    if (format.equals("labelled-dirs")) {
      List<String> names = sc.wholeTextFiles(path + "/*").keys()
          .map(f -> new org.apache.hadoop.fs.Path(f).getParent().getName()).distinct().collect();
      List<String> sorted = new ArrayList<>(names);
      sorted.sort(null);
      if (sorted.size() > classes) {
        throw new IllegalArgumentException(path + " holds " + sorted.size() + " class "
            + "directories " + sorted + " but model.classes is " + classes);
      }
      rows = sc.wholeTextFiles(path + "/*").map(t -> new LabelledText(t._2,
          sorted.indexOf(new org.apache.hadoop.fs.Path(t._1).getParent().getName())));
    } else {
      SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
      Dataset<Row> df = format.equals("csv")
          ? spark.read().option("header", "true").option("multiLine", "true").csv(path)
          : spark.read().parquet(path);
      requireColumns(df, path, "text", "label");
      rows = df.select("text", "label").javaRDD().zipWithIndex().map(t -> {
        Row r = t._1;
        if (r.isNullAt(0) || r.isNullAt(1)) {
          throw new IllegalArgumentException(path + " row " + (t._2 + 1) + ": text and label "
              + "must not be empty");
        }
        int label;
        try {
          label = Integer.parseInt(String.valueOf(r.get(1)).strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(path + " row " + (t._2 + 1) + ": label '"
              + r.get(1) + "' is not an integer class id");
        }
        return new LabelledText(String.valueOf(r.get(0)), label);
      });
    }
    return rows.zipWithIndex().map(t -> {
      if (t._1.label() < 0 || t._1.label() >= classes) {
        throw new IllegalArgumentException(path + " row " + (t._2 + 1) + ": label "
            + t._1.label() + " is outside [0, " + classes + ")");
      }
      return t._1;
    });
  }

  /** Texts encoded with {@code vocab}, each cut to its first {@code maxLength} tokens. */
  public static JavaRDD<Example> encode(JavaRDD<LabelledText> texts, Vocabulary vocab,
      int maxLength) {
    return texts.map(t -> {
      int[] ids = vocab.encode(t.text());
      return Example.ofTokens(ids.length == 0 ? new int[] {0}
          : Arrays.copyOf(ids, Math.min(ids.length, maxLength)), t.label());
    });
  }

  /** The vocabulary of the texts, by a distributed count. */
  public static Vocabulary vocabulary(JavaRDD<LabelledText> texts, boolean words, int minCount) {
    return TextSource.vocabulary(texts.map(LabelledText::text), words, minCount);
  }

  /** Feature sequences and labels from Parquet. */
  public static JavaRDD<Example> features(JavaSparkContext sc, String path, int classes) {
    SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    Dataset<Row> df = spark.read().parquet(path);
    requireColumns(df, path, "features", "label");
    JavaPairRDD<Row, Long> indexed = df.select("features", "label").javaRDD().zipWithIndex();
    return indexed.map((Tuple2<Row, Long> t) -> {
      Row r = t._1;
      long row = t._2 + 1;
      List<Object> steps = r.getList(0);
      if (steps == null || steps.isEmpty()) {
        throw new IllegalArgumentException(path + " row " + row + ": no feature steps");
      }
      int width = -1;
      float[] values = null;
      for (int s = 0; s < steps.size(); s++) {
        List<?> step = steps.get(s) instanceof scala.collection.Seq<?> seq
            ? scala.jdk.javaapi.CollectionConverters.asJava(seq) : (List<?>) steps.get(s);
        if (width < 0) {
          width = step.size();
          values = new float[steps.size() * width];
        } else if (step.size() != width) {
          throw new IllegalArgumentException(path + " row " + row + ": step " + (s + 1)
              + " has " + step.size() + " features, expected " + width + " like step 1");
        }
        for (int j = 0; j < width; j++) {
          float v = ((Number) step.get(j)).floatValue();
          if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(path + " row " + row + ": feature " + (j + 1)
                + " of step " + (s + 1) + " is " + v + "; features must be finite numbers");
          }
          values[s * width + j] = v;
        }
      }
      int label = ((Number) r.get(1)).intValue();
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException(path + " row " + row + ": label " + label
            + " is outside [0, " + classes + ")");
      }
      return Example.ofFeatures(values, width, label);
    });
  }

  private static void requireColumns(Dataset<Row> df, String path, String... names) {
    List<String> have = Arrays.asList(df.columns());
    for (String n : names) {
      if (!have.contains(n)) {
        throw new IllegalArgumentException(path + " has columns " + have + "; expected "
            + Arrays.toString(names));
      }
    }
  }
}
