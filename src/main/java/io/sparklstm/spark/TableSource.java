package io.sparklstm.spark;

import static org.apache.spark.sql.functions.col;

import io.sparklstm.data.Example;
import io.sparklstm.data.Vocabulary;
import io.sparklstm.io.DataFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Labelled sequences through Spark SQL and Hadoop: texts with labels from CSV or Parquet
 * (columns {@code text} and {@code label}), a directory of text files per class, and float
 * feature sequences from Parquet (columns {@code features}: an array of steps, each an array of
 * numbers, and {@code label}).
 *
 * <p>A label is a class id {@code 0 .. K-1} in CSV and Parquet and a directory name in
 * labelled-dirs; callers pass the class names the ids index (when evaluating, the model's), so a
 * directory means the same class whichever classes a folder happens to hold. CSV is RFC 4180, as
 * Python's csv module, pandas and spreadsheets write it: a quote inside a quoted field is
 * doubled, and a row with more or fewer fields than the header fails. Rows are checked on the
 * executors (column types on the driver); a bad row fails the job naming the file, the row (the
 * N-th record after the header in CSV, the N-th row of the file in Parquet) and what was
 * expected.
 */
public final class TableSource {
  private static final String CORRUPT = "_corrupt_record";
  /** Files of labelled-dirs one task reads, at most (more tasks when there are more cores). */
  private static final int FILES_PER_TASK = 1000;

  private TableSource() {}

  /** A labelled text: the raw string and its class. */
  public record LabelledText(String text, int label) implements Serializable {}

  /** The class names of integer labels: "0" .. "k-1". */
  public static List<String> integerClasses(int k) {
    return IntStream.range(0, k).mapToObj(Integer::toString)
        .collect(Collectors.toCollection(ArrayList::new));
  }

  /** The texts of {@code path} with labels indexing {@code classes}. */
  public static JavaRDD<LabelledText> texts(JavaSparkContext sc, String format, String path,
      List<String> classes) throws IOException {
    if (format.equals("labelled-dirs")) {
      return classDirectories(sc, path, classes);
    }
    Dataset<Row> df = read(sc, format, path);
    requireType(df, path, "text", "string", t -> t.equals(DataTypes.StringType));
    requireLabelType(df, path);
    int k = classes.size();
    boolean csv = format.equals("csv");
    return rows(df, csv, (r, at) -> {
      if (r.isNullAt(0)) {
        throw new IllegalArgumentException(at + ": text is empty");
      }
      String text = r.getString(0);
      if (text.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(at + ": text has a NUL character: not UTF-8 text "
            + "(UTF-16 without a byte-order mark?)" + StrictUtf8.CONVERT);
      }
      if (csv && text.indexOf('\uFFFD') >= 0) {
        throw new IllegalArgumentException(at + ": text has bytes that are not UTF-8 (read as "
            + "U+FFFD, the replacement character); expected UTF-8 text");
      }
      return new LabelledText(text, label(r.get(1), k, at));
    }, "text", "label");
  }

  /**
   * Tagged sequences from CSV or Parquet: columns {@code tokens} and {@code tags}, each an array
   * of strings (Parquet) or a string split at {@code separator} (a regular expression; leading
   * and trailing separators are ignored). A row whose tokens and tags differ in number, or with
   * no tokens, an empty tag or a sentence longer than {@code maxLength}, fails naming the row.
   */
  public static JavaRDD<TaggedSource.TaggedText> tagged(JavaSparkContext sc, String format,
      String path, String separator, int maxLength) {
    Dataset<Row> df = read(sc, format, path);
    for (String c : List.of("tokens", "tags")) {
      requireType(df, path, c, "array<string>, or a string of items separated by " + separator,
          t -> t.equals(DataTypes.StringType) || t instanceof ArrayType a
              && a.elementType().equals(DataTypes.StringType));
    }
    return rows(df, format.equals("csv"), (r, at) -> {
      String[] tokens = TaggedSource.items(r.get(0), separator, at.toString(), "tokens");
      String[] tags = TaggedSource.items(r.get(1), separator, at.toString(), "tags");
      if (tokens.length != tags.length) {
        throw new IllegalArgumentException(at + ": " + tokens.length + " tokens but "
            + tags.length + " tags; expected a tag per token");
      }
      TaggedSource.requireLength(at.toString(), tokens.length, maxLength);
      return new TaggedSource.TaggedText(tokens, tags, at.toString());
    }, "tokens", "tags");
  }

  /**
   * The string columns {@code source} and {@code target} of CSV or Parquet, each row with where
   * it is ("FILE row N"); nulls stay null for the caller to refuse.
   */
  static JavaRDD<scala.Tuple2<String, String[]>> pairs(JavaSparkContext sc, String format,
      String path) {
    Dataset<Row> df = read(sc, format, path);
    for (String c : List.of("source", "target")) {
      requireType(df, path, c, "string", t -> t.equals(DataTypes.StringType));
    }
    return rows(df, format.equals("csv"), (r, at) -> new scala.Tuple2<>(at.toString(),
        new String[] {r.isNullAt(0) ? null : r.getString(0), r.isNullAt(1) ? null
            : r.getString(1)}), "source", "target");
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

  /** Feature sequences from Parquet, labels {@code 0 .. classes-1}. */
  public static JavaRDD<Example> features(JavaSparkContext sc, String path, int classes) {
    Dataset<Row> df = read(sc, "parquet", path);
    requireType(df, path, "features", "array<array<float>> (an array of features per step)",
        t -> t instanceof ArrayType steps && steps.elementType() instanceof ArrayType step
            && step.elementType() instanceof NumericType);
    requireLabelType(df, path);
    return rows(df, false, (r, at) -> {
      List<Object> steps = r.isNullAt(0) ? List.of() : r.getList(0);
      if (steps.isEmpty()) {
        throw new IllegalArgumentException(at + ": no feature steps");
      }
      int width = -1;
      float[] values = null;
      for (int s = 0; s < steps.size(); s++) {
        if (steps.get(s) == null) {
          throw new IllegalArgumentException(at + ": step " + (s + 1) + " is null");
        }
        List<?> step = steps.get(s) instanceof scala.collection.Seq<?> seq
            ? scala.jdk.javaapi.CollectionConverters.asJava(seq) : (List<?>) steps.get(s);
        if (width < 0) {
          width = step.size();
          values = new float[steps.size() * width];
        } else if (step.size() != width) {
          throw new IllegalArgumentException(at + ": step " + (s + 1) + " has " + step.size()
              + " features, expected " + width + " like step 1");
        }
        for (int j = 0; j < width; j++) {
          float v = step.get(j) == null ? Float.NaN : ((Number) step.get(j)).floatValue();
          if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(at + ": feature " + (j + 1) + " of step "
                + (s + 1) + " is " + (step.get(j) == null ? "null" : v) + "; features must be "
                + "finite numbers");
          }
          values[s * width + j] = v;
        }
      }
      if (width == 0) {
        throw new IllegalArgumentException(at + ": steps have no features");
      }
      return Example.ofFeatures(values, width, label(r.get(1), classes, at));
    }, "features", "label");
  }

  /** A class directory's files, labelled by the directory's place in {@code classes}. */
  private static JavaRDD<LabelledText> classDirectories(JavaSparkContext sc, String path,
      List<String> classes) throws IOException {
    HashMap<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      ids.put(classes.get(i), i);
    }
    for (String name : DataFiles.classNames(sc.hadoopConfiguration(), path, path)) {
      if (!ids.containsKey(name)) {
        throw new IllegalArgumentException(DataFiles.display(path) + ": class directory '"
            + name + "' is not one of the model's classes " + classes);
      }
    }
    // The driver lists the directories (names only, sorted: the examples' order); executors
    // read the files. Spark's binaryFiles would pack small files into one task, whose every
    // file then deserializes the whole split and Hadoop's configuration again.
    List<String> files = DataFiles.files(sc.hadoopConfiguration(), DataFiles.display(path), path,
        "labelled-dirs").stream().map(Path::toString).toList();
    Broadcast<SerializableWritable<Configuration>> conf = sc.broadcast(
        new SerializableWritable<>(sc.hadoopConfiguration()));
    int slices = Math.max(sc.defaultParallelism(), (files.size() + FILES_PER_TASK - 1)
        / FILES_PER_TASK);
    return sc.parallelize(files, Math.min(files.size(), slices)).map(file -> {
      Path p = new Path(file);
      byte[] bytes;
      try (InputStream in = p.getFileSystem(conf.value().value()).open(p)) {
        bytes = in.readAllBytes();
      }
      return new LabelledText(new StrictUtf8(file).decode(bytes, 0, bytes.length, 0),
          ids.get(p.getParent().getName()));
    }).persist(StorageLevel.MEMORY_AND_DISK()); // small files cost more to open than to keep:
    // the job reads them for the vocabulary, the content hash, the count and the shards, and
    // held-out ones at every epoch
  }

  private static Dataset<Row> read(JavaSparkContext sc, String format, String path) {
    SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    if (format.equals("parquet")) {
      return spark.read().parquet(path);
    }
    // The header's columns (strings), then the raw text of any row that does not fit them:
    // PERMISSIVE mode keeps it for rows() to report, where FAILFAST would name neither the file
    // nor the row. enforceSchema=false checks every file's header against the first one's.
    StructType header = csvReader(spark).csv(path).schema();
    return csvReader(spark).option("mode", "PERMISSIVE").option("enforceSchema", "false")
        .option("columnNameOfCorruptRecord", CORRUPT)
        .schema(header.add(CORRUPT, DataTypes.StringType)).csv(path);
  }

  /** RFC 4180: fields may span lines; a quote inside a quoted field is written twice. */
  private static DataFrameReader csvReader(SparkSession spark) {
    return spark.read().option("header", "true").option("multiLine", "true")
        .option("quote", "\"").option("escape", "\"");
  }

  /** Where a row is, for messages; built only when one is needed. */
  private static final class RowPosition {
    private String file; // as Spark gives it: a URI, its special characters %-encoded
    private long row;

    @Override
    public String toString() {
      return DataFiles.display(new Path(URI.create(file)).toString()) + " row " + row;
    }
  }

  /** Turns a checked row into a value; {@code at} names the row in messages. */
  @FunctionalInterface
  private interface RowReader<T> extends Serializable {
    T read(Row row, RowPosition at);
  }

  /**
   * The rows' {@code columns}, each with its file and row number, through {@code reader}.
   * Parquet gives every row's index in its file; a multiLine CSV file is never split across
   * partitions, so counting the rows of a partition from each change of file is exact.
   */
  private static <T> JavaRDD<T> rows(Dataset<Row> df, boolean csv, RowReader<T> reader,
      String... columns) {
    List<Column> selected = new ArrayList<>();
    for (String c : columns) {
      selected.add(col(c));
    }
    selected.add(col("_metadata.file_path"));
    selected.add(col(csv ? CORRUPT : "_metadata.row_index"));
    int n = columns.length;
    List<String> header = new ArrayList<>(columnsOf(df));
    return df.select(selected.toArray(new Column[0])).javaRDD().mapPartitions(it -> {
      RowPosition at = new RowPosition();
      return new Iterator<T>() {
        @Override
        public boolean hasNext() {
          try {
            return it.hasNext();
          } catch (Exception e) { // Scala code throws SparkException (checked) unannounced
            throw userError(e).orElseThrow(() -> sneaky(e));
          }
        }

        @Override
        public T next() {
          Row r;
          try {
            r = it.next();
          } catch (Exception e) {
            throw userError(e).orElseThrow(() -> sneaky(e));
          }
          String file = r.getString(n);
          if (!csv) {
            at.file = file;
            at.row = r.getLong(n + 1) + 1;
          } else {
            at.row = file.equals(at.file) ? at.row + 1 : 1;
            at.file = file;
            if (!r.isNullAt(n + 1)) {
              throw malformed(at, header, r.getString(n + 1));
            }
          }
          return reader.read(r, at);
        }
      };
    });
  }

  private static IllegalArgumentException malformed(RowPosition at, List<String> header,
      String record) {
    String shown = record.length() > 60 ? record.substring(0, 60) + "..." : record;
    return new IllegalArgumentException(at + ": expected the header's " + header.size()
        + " fields " + header + ", found more or fewer (" + shown.replace("\r", "\\r")
        .replace("\n", "\\n") + "); a quote inside a quoted field must be doubled (RFC 4180)");
  }

  /** A user's mistake Spark's reader found (a CSV header unlike the first file's), one line. */
  private static Optional<IllegalArgumentException> userError(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException && t.getMessage() != null) {
        return Optional.of(new IllegalArgumentException(t.getMessage().strip()
            .replaceAll("\\.?\\s*\\n\\s*", "; ")));
      }
    }
    return Optional.empty();
  }

  /** Throws {@code e} as it is, checked or not (as the Scala code beneath did). */
  @SuppressWarnings("unchecked")
  private static <E extends Exception> RuntimeException sneaky(Exception e) throws E {
    throw (E) e;
  }

  /** A class id in {@code [0, classes)}: an integer column, or a string of one (CSV). */
  private static int label(Object value, int classes, RowPosition at) {
    if (value == null) {
      throw new IllegalArgumentException(at + ": label is empty; expected a class id in [0, "
          + classes + ")");
    }
    long id;
    if (value instanceof Number n) {
      id = n.longValue();
    } else {
      try {
        id = Long.parseLong(value.toString().strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(at + ": label '" + value + "' is not an integer "
            + "class id in [0, " + classes + ")");
      }
    }
    if (id < 0 || id >= classes) {
      throw new IllegalArgumentException(at + ": label " + id + " is outside [0, " + classes
          + ")");
    }
    return (int) id;
  }

  private static void requireLabelType(Dataset<Row> df, String path) {
    requireType(df, path, "label", "integer class ids (int or long, or strings of them)",
        t -> t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType)
            || t.equals(DataTypes.ShortType) || t.equals(DataTypes.ByteType)
            || t.equals(DataTypes.StringType));
  }

  /** The data's columns (without CSV's malformed-row column). */
  private static List<String> columnsOf(Dataset<Row> df) {
    return Arrays.stream(df.columns()).filter(c -> !c.equals(CORRUPT)).toList();
  }

  private interface TypeTest {
    boolean fits(DataType type);
  }

  private static void requireType(Dataset<Row> df, String path, String column, String expected,
      TypeTest test) {
    List<String> have = columnsOf(df);
    if (!have.contains(column)) {
      throw new IllegalArgumentException(DataFiles.display(path) + " has columns " + have
          + "; expected a column '" + column + "' (" + expected + ")");
    }
    DataType type = df.schema().apply(column).dataType();
    if (!test.fits(type)) {
      throw new IllegalArgumentException(DataFiles.display(path) + ": column '" + column
          + "' has type " + type.simpleString() + "; expected " + expected);
    }
  }
}
