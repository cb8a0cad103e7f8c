package io.sparklstm.cli;

import static io.sparklstm.cli.JobScripts.assertUserError;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sparklstm.data.Vocabulary;
import io.sparklstm.io.SavedModelTest;
import io.sparklstm.nn.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data that used to end in a stack trace, through the real scripts: each is one line naming the
 * file (and column, row or key) and what was expected, exit code 2, no exception on the console
 * and nothing written to --out.
 */
class BadDataConsoleTest {
  @TempDir
  static Path dir;
  static Path flat;
  static Path stringLabels;
  static Path nullLabels;
  static Path csv;

  private static final DataType STEPS =
      DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType));

  @BeforeAll
  static void data() throws Exception {
    flat = dir.resolve("flat.parquet");
    stringLabels = dir.resolve("strings.parquet");
    nullLabels = dir.resolve("nulls.parquet");
    try (SparkSession spark = SparkSession.builder().master("local[1]").appName("write")
        .config("spark.ui.enabled", "false").getOrCreate()) {
      write(spark, flat, DataTypes.createArrayType(DataTypes.FloatType), DataTypes.IntegerType,
          RowFactory.create(List.of(1f, 2f), 0));
      write(spark, stringLabels, STEPS, DataTypes.StringType,
          RowFactory.create(List.of(List.of(1f)), "cat"));
      write(spark, nullLabels, STEPS, DataTypes.IntegerType,
          RowFactory.create(List.of(List.of(1f)), 0), RowFactory.create(List.of(List.of(2f)),
              null));
    }
    csv = Files.writeString(dir.resolve("texts.csv"), "text,label\nham,0\nspam,1\n");
  }

  private static void write(SparkSession spark, Path path, DataType features, DataType label,
      Row... rows) {
    StructType schema = new StructType().add("features", features).add("label", label);
    spark.createDataFrame(new ArrayList<>(List.of(rows)), schema).coalesce(1).write()
        .parquet(path.toString());
  }

  /** jobs/train on conf/text-classifier.conf with {@code sets}; checks the failure. */
  private static void trainFails(String name, List<String> sets, String... fragments) {
    Path out = dir.resolve("out-" + name);
    List<String> args = new ArrayList<>(List.of("--conf", "conf/text-classifier.conf", "--out",
        out.toString(), "--set", "data.validation=", "--set", "spark.partitions=1"));
    sets.forEach(s -> args.addAll(List.of("--set", s)));
    assertUserError(JobScripts.run("train", args.toArray(new String[0])), fragments);
    assertFalse(Files.exists(out), "nothing written to " + out);
  }

  @Test
  void aDirectoryHoldingADirectory() throws Exception {
    Path corpus = Files.createDirectories(dir.resolve("corpus/more"));
    Files.writeString(corpus.getParent().resolve("a.txt"), "some text\n".repeat(100));
    Files.writeString(corpus.resolve("b.txt"), "more text\n".repeat(100));
    trainFails("nested", List.of("task=language-model", "data.format=text", "data.train="
        + corpus.getParent()), "data.train: " + corpus + " is a directory inside "
        + corpus.getParent() + "; expected only data files there");
  }

  @Test
  void parquetFeaturesThatAreFlatOrLabelsThatAreStringsOrNull() {
    List<String> dense = List.of("data.format=parquet", "model.input=dense");
    trainFails("flat", concat(dense, "data.train=" + flat), flat + ": column 'features' has "
        + "type array<float>; expected array<array<float>>");
    trainFails("strings", concat(dense, "data.train=" + stringLabels), "strings.parquet/part-",
        " row 1: label 'cat' is not an integer class id in [0, 2)");
    trainFails("nulls", concat(dense, "data.train=" + nullLabels), "nulls.parquet/part-",
        " row 2: label is empty");
  }

  @Test
  void aDataFormatThatDoesNotFitTheFile() {
    trainFails("csv", List.of("data.format=csv", "data.train=" + flat), "data.train: " + flat
        + "/part-", " is a Parquet file, but data.format = csv reads UTF-8 text (CSV)");
    trainFails("parquet", List.of("data.format=parquet", "data.train=" + csv), "data.train: "
        + csv + " is not a Parquet file (it does not start with PAR1), but data.format = "
        + "parquet reads Parquet");
  }

  @Test
  void aModelWhoseVocabularyDoesNotFitItsShape() throws Exception {
    // Three tokens declared, four held (<unk>, a, b, c): 'c' would index outside the model.
    Path model = dir.resolve("edited.bin");
    SavedModelTest.model(ModelSpec.languageModel(3, 4, 1), new Vocabulary(false,
        List.of("a", "b", "c")), null).write(model.toString(), new Configuration());
    Path text = Files.writeString(dir.resolve("abc.txt"), "abc cab\n".repeat(20));
    Path json = dir.resolve("metrics.json");
    assertUserError(JobScripts.run("evaluate", "--model", model.toString(), "--data",
        text.toString(), "--out", json.toString()), model + " declares a vocabulary of 3 "
        + "tokens", "but holds 4 tokens; expected the same number");
    assertFalse(Files.exists(json), "no metrics written");
  }

  private static List<String> concat(List<String> a, String b) {
    List<String> all = new ArrayList<>(a);
    all.add(b);
    return all;
  }
}
