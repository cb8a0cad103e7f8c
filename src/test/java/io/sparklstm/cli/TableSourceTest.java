package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.spark.TableSource;
import io.sparklstm.spark.TextSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the table readers make of files as other tools write them, and of broken ones. */
class TableSourceTest {
  static JavaSparkContext sc;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("readers")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    sc.close();
  }

  /** The texts and labels as the job would train on them, in file order. */
  private List<TableSource.LabelledText> read(String format, Path path, List<String> classes)
      throws Exception {
    return TableSource.texts(sc, format, path.toString(), classes).collect();
  }

  /** The one-line message a user would see for a failure of {@code action}. */
  private static String userMessage(org.junit.jupiter.api.function.Executable action) {
    Throwable cause = Main.userError(assertThrows(Exception.class, action));
    assertTrue(cause != null, "a user error, not an internal one");
    assertEquals(1, cause.getMessage().lines().count(), cause.getMessage());
    return cause.getMessage();
  }

  @Test
  void csvAsPythonWritesItKeepsEveryLabel() throws Exception {
    // csv.writer(f).writerows(...) of these texts and labels: quotes doubled, commas quoted,
    // \r\n line ends. A backslash-escape reader takes '""great"", 1' apart and reads 1 as the
    // label of a text labelled 0.
    String[] texts = {"plain words, nothing quoted", "She wrote \"great\", 1, then returned it",
        "\"Awful\", 0, said nobody", "a quote at the end \"", "\"fully quoted\"",
        "back\\slash and \"quote\""};
    List<Integer> labels = List.of(0, 0, 1, 1, 0, 1);
    Path csv = Files.writeString(dir.resolve("python.csv"), "text,label\r\n"
        + "\"plain words, nothing quoted\",0\r\n"
        + "\"She wrote \"\"great\"\", 1, then returned it\",0\r\n"
        + "\"\"\"Awful\"\", 0, said nobody\",1\r\n"
        + "\"a quote at the end \"\"\",1\r\n"
        + "\"\"\"fully quoted\"\"\",0\r\n"
        + "\"back\\slash and \"\"quote\"\"\",1\r\n");
    List<TableSource.LabelledText> rows = read("csv", csv, TableSource.integerClasses(2));
    assertEquals(labels, rows.stream().map(TableSource.LabelledText::label).toList());
    assertEquals(List.of(texts), rows.stream().map(TableSource.LabelledText::text).toList());
  }

  @Test
  void csvFieldsSpanLinesAndMalformedRowsFailNamingFileAndRow() throws Exception {
    // Python's csv.writer again: newlines inside quoted fields, an extra column before text.
    Path csv = Files.writeString(dir.resolve("lines.csv"), "id,text,label\r\n"
        + "1,\"first line\nsecond, \"\"quoted\"\" line\",1\r\n2,\"three\r\nlines\nhere\",0\r\n");
    List<TableSource.LabelledText> rows = read("csv", csv, TableSource.integerClasses(2));
    // (Spark's CSV parser writes a line end inside a field as \n.)
    assertEquals(List.of(new TableSource.LabelledText("first line\nsecond, \"quoted\" line", 1),
        new TableSource.LabelledText("three\nlines\nhere", 0)), rows);

    // Backslash-escaped quotes (not RFC 4180) shift the fields: more than the header's.
    Path extra = Files.writeString(dir.resolve("extra.csv"), "text,label\nfine,0\n"
        + "\"He said \\\"no\\\", then left\",1\n");
    String e1 = userMessage(() -> read("csv", extra, TableSource.integerClasses(2)));
    assertTrue(e1.startsWith(extra + " row 2: expected the header's 2 fields [text, label]"), e1);
    Path fewer = Files.writeString(dir.resolve("fewer.csv"), "text,label\nfine,0\nok,1\n"
        + "no label here\n");
    String e2 = userMessage(() -> read("csv", fewer, TableSource.integerClasses(2)));
    assertTrue(e2.startsWith(fewer + " row 3: expected the header's 2 fields"), e2);

    Path nulls = Files.writeString(dir.resolve("empty text.csv"), "text,label\nfine,0\n,1\n");
    assertTrue(userMessage(() -> read("csv", nulls, TableSource.integerClasses(2)))
        .equals(nulls + " row 2: text is empty"));
    Path noLabel = Files.writeString(dir.resolve("nolabel.csv"), "text,label\nfine,\n");
    assertTrue(userMessage(() -> read("csv", noLabel, TableSource.integerClasses(2)))
        .startsWith(noLabel + " row 1: label is empty"));
  }

  @Test
  void csvFilesWithDifferentHeadersFailInOneLine() throws Exception {
    Path both = Files.createDirectory(dir.resolve("both"));
    Files.writeString(both.resolve("a.csv"), "text,label\nfine,0\n");
    Files.writeString(both.resolve("b.csv"), "label,text\n1,swapped\n");
    String e = userMessage(() -> read("csv", both, TableSource.integerClasses(2)));
    assertTrue(e.contains("CSV header does not conform") && e.contains("b.csv"), e);
  }

  @Test
  void classDirectoryFilesAreReadInPathOrderByTasksOfAtMostAThousand() throws Exception {
    Path top = dir.resolve("many");
    List<String> inPathOrder = new ArrayList<>();
    for (String c : List.of("neg", "pos")) {
      Files.createDirectories(top.resolve(c));
      for (int i = 0; i < 2500; i++) {
        inPathOrder.add(c + " " + String.format("%04d", i));
      }
      for (int i = 2499; i >= 0; i--) { // created in reverse: a directory lists them its way
        Files.writeString(top.resolve(c).resolve(String.format("%04d.txt", i)),
            c + " " + String.format("%04d", i));
      }
    }
    JavaRDD<TableSource.LabelledText> texts = TableSource.texts(sc, "labelled-dirs",
        top.toString(), List.of("neg", "pos"));
    assertEquals(5, texts.getNumPartitions(), "5,000 files in tasks of 1,000");
    assertEquals(inPathOrder, texts.map(TableSource.LabelledText::text).collect());
  }

  @Test
  void classDirectoriesMapByNameWhateverFoldersAreThere() throws Exception {
    List<String> classes = List.of("apple", "banana", "cherry");
    Path test = dir.resolve("test");
    for (String c : List.of("apple", "cherry")) { // no banana: cherry must stay class 2
      Files.createDirectories(test.resolve(c));
      Files.writeString(test.resolve(c).resolve("1.txt"), c + " text");
    }
    List<TableSource.LabelledText> rows = read("labelled-dirs", test, classes);
    assertEquals(2, rows.size());
    for (TableSource.LabelledText t : rows) {
      assertEquals(classes.indexOf(t.text().split(" ")[0]), t.label(), t.text());
    }
    Files.createDirectories(test.resolve("durian"));
    assertEquals(test + ": class directory 'durian' is not one of the model's classes "
        + classes, userMessage(() -> read("labelled-dirs", test, classes)));
  }

  @Test
  void utf16AndNulBytesInTextFilesFailNamingTheByte() throws Exception {
    Path lm = Files.createDirectory(dir.resolve("lm"));
    Files.writeString(lm.resolve("a.txt"), "fine text\n");
    Path utf16 = Files.write(lm.resolve("b.txt"), "more text\nand more\n".getBytes(
        StandardCharsets.UTF_16LE));
    String e = userMessage(() -> TextSource.lines(sc, lm.toString()).collect());
    assertTrue(e.startsWith(utf16 + " has a NUL byte at byte 1: not UTF-8 text (UTF-16 "), e);
    assertTrue(e.contains("convert the file to UTF-8"), e);
    Files.write(lm.resolve("b.txt"), "ok\nbad \u00e9".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals("invalid UTF-8 in " + utf16 + " at byte 7; expected UTF-8 text",
        userMessage(() -> TextSource.lines(sc, lm.toString()).collect()));
    Files.write(lm.resolve("b.txt"), "\uFEFFno mark\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("fine text", "no mark"), TextSource.lines(sc, lm.toString()).collect()
        .stream().sorted().toList(), "a UTF-8 byte-order mark is not text");

    Path classes = dir.resolve("classes");
    Files.createDirectories(classes.resolve("a"));
    Files.write(classes.resolve("a").resolve("x.txt"), "text".getBytes(
        StandardCharsets.UTF_16BE));
    assertTrue(userMessage(() -> read("labelled-dirs", classes, List.of("a", "b")))
        .startsWith(classes.resolve("a").resolve("x.txt") + " has a NUL byte at byte 0"));
    Path csv = Files.writeString(dir.resolve("nul.csv"), "text,label\nok,0\nb\0a\0d\0,1\n");
    assertTrue(userMessage(() -> read("csv", csv, TableSource.integerClasses(2)))
        .startsWith(csv + " row 2: text has a NUL character"));
  }

  @Test
  void parquetColumnsOfAnotherTypeFailNamingColumnAndType() throws Exception {
    SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    Path doubles = dir.resolve("doubles.parquet");
    spark.createDataFrame(List.of(RowFactory.create("a text", 1.5)), new StructType()
        .add("text", DataTypes.StringType).add("label", DataTypes.DoubleType)).write()
        .parquet(doubles.toString());
    assertEquals(doubles + ": column 'label' has type double; expected integer class ids (int "
        + "or long, or strings of them)", userMessage(() -> read("parquet", doubles,
        TableSource.integerClasses(2))));
    Path numbers = dir.resolve("numbers.parquet");
    spark.createDataFrame(List.of(RowFactory.create(7, 1)), new StructType()
        .add("text", DataTypes.IntegerType).add("label", DataTypes.IntegerType)).write()
        .parquet(numbers.toString());
    assertEquals(numbers + ": column 'text' has type int; expected string", userMessage(
        () -> read("parquet", numbers, TableSource.integerClasses(2))));
  }
}
