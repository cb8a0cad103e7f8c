package io.sparklstm.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.data.Pair;
import io.sparklstm.data.SyntheticTasks;
import io.sparklstm.io.Seq2SeqModelFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LstmSeq2Seq}: the jobs' settings and pairs train the jobs' model bit for bit; transform
 * decodes a learnt task (reversing 5 to 8 symbols) on the executors, reads unknown tokens as
 * {@code <unk>}; a saved model loads and decodes the same, also through jobs/translate; bad
 * columns and rows fail naming them.
 */
class LstmSeq2SeqTest {
  @TempDir
  static Path dir;
  static float[] jobParams;
  static SparkSession spark;
  static LstmSeq2SeqModel model;

  /** Words of letters a..h, each with its letters reversed as space-separated capitals. */
  private static List<String[]> reversals(int n, long seed) {
    List<String[]> out = new ArrayList<>();
    for (Pair p : SyntheticTasks.reverseOrCopy(n, 8, 5, 8, true, seed)) {
      StringBuilder source = new StringBuilder();
      StringBuilder target = new StringBuilder();
      for (int t = 0; t < p.source().length; t++) {
        source.append((char) ('a' + p.source()[t]));
        target.append(t == 0 ? "" : " ").append((char) ('A' + p.target()[t] - 1));
      }
      out.add(new String[] {source.toString(), target.toString()});
    }
    return out;
  }

  @BeforeAll
  static void trainWithTheJob() throws Exception {
    StringBuilder s = new StringBuilder("source,target\n");
    reversals(2000, 1).forEach(r -> s.append(r[0]).append(',').append(r[1]).append('\n'));
    Path csv = Files.writeString(dir.resolve("train.csv"), s.toString());
    Path conf = Files.writeString(dir.resolve("s2s.conf"), String.join("\n", "task = seq2seq",
        "data.format = csv", "data.train = " + csv, "pairs.source.tokens = chars",
        "pairs.target.tokens = space", "model.hidden = 48", "model.layers = 1",
        "model.bidirectional = true", "seq2seq.attention = true", "decode.max.length = 20",
        "train.epochs = 6", "train.batch = 32", "optim.lr = 0.01", "optim.clip = 5",
        "spark.partitions = 2", "average.every = 10", ""));
    Path out = dir.resolve("job");
    MlTests.job("train", "--conf", conf.toString(), "--out", out.toString());
    jobParams = Seq2SeqModelFile.read(out.resolve("model/" + Seq2SeqModelFile.NAME).toString(),
        new Configuration()).params();
    spark = MlTests.session();
    model = MlTests.withConf(conf, new LstmSeq2Seq())
        .fit(spark.read().option("header", "true").csv(csv.toString()));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void theJobsSettingsTrainTheJobsModelBitForBit() {
    assertArrayEquals(jobParams, model.parameters());
    assertEquals(List.of("<unk>", "a", "b", "c", "d", "e", "f", "g", "h"),
        model.sourceVocabulary());
    assertEquals("</s>", model.targetVocabulary().get(0));
  }

  /** Held-out sources as strings and as token arrays, with their targets' tokens. */
  private static Dataset<Row> heldOut(int n) {
    List<Row> rows = new ArrayList<>();
    for (String[] r : reversals(n, 2)) {
      rows.add(RowFactory.create(r[0], List.of(r[0].split("")), List.of(r[1].split(" "))));
    }
    return spark.createDataFrame(rows, new StructType().add("source", DataTypes.StringType)
        .add("letters", DataTypes.createArrayType(DataTypes.StringType))
        .add("expected", DataTypes.createArrayType(DataTypes.StringType)));
  }

  /** The predictions of {@code m} on {@code test}, in row order. */
  private static List<List<String>> predictions(LstmSeq2SeqModel m, Dataset<Row> test) {
    List<List<String>> out = new ArrayList<>();
    for (Row r : m.transform(test).collectAsList()) {
      out.add(r.getList(r.fieldIndex(m.getPredictionCol())));
    }
    return out;
  }

  @Test
  void transformDecodesTheLearntTaskAndASavedModelDecodesTheSame() throws Exception {
    Dataset<Row> test = heldOut(300).repartition(2);
    List<Row> rows = test.collectAsList();
    List<List<String>> greedy = predictions(model, test);
    int right = 0;
    for (int i = 0; i < rows.size(); i++) {
      right += rows.get(i).getList(2).equals(greedy.get(i)) ? 1 : 0;
    }
    double accuracy = right / (double) rows.size();
    System.out.printf("LstmSeq2Seq held-out sequence accuracy %.4f%n", accuracy);
    assertTrue(accuracy >= 0.95, "held-out sequence accuracy " + accuracy);
    LstmSeq2SeqModel letters = model.copy(ParamMap.empty()).setSourceCol("letters");
    assertEquals(greedy, predictions(letters, test), "token arrays decode as the strings");
    LstmSeq2SeqModel beam = model.copy(ParamMap.empty()).setBeam(3).setPredictionCol("beam");
    assertEquals(3, beam.getBeam());
    assertEquals(1, model.getBeam(), "the copy's beam only");
    List<List<String>> beamed = predictions(beam, test);
    int beamRight = 0;
    for (int i = 0; i < rows.size(); i++) {
      beamRight += rows.get(i).getList(2).equals(beamed.get(i)) ? 1 : 0;
    }
    assertTrue(beamRight >= right - 3, "beam " + beamRight + " against greedy " + right);

    String path = dir.resolve("saved").toString();
    beam.write().save(path);
    LstmSeq2SeqModel loaded = LstmSeq2SeqModel.load(path);
    assertEquals(beam.extractParamMap().toString(), loaded.extractParamMap().toString());
    assertArrayEquals(model.parameters(), loaded.parameters());
    assertEquals(beamed, predictions(loaded, test));

    // jobs/translate reads the saved stage as it is, with the beam it was saved with.
    List<String> sources = rows.subList(0, 20).stream().map(r -> r.getString(0)).toList();
    Path words = Files.write(dir.resolve("words.txt"), sources);
    List<String> translated = MlTests.job("translate", "--model", path, "--input",
        words.toString()).lines().toList();
    for (int i = 0; i < sources.size(); i++) {
      assertEquals(String.join(" ", beamed.get(i)), translated.get(i), sources.get(i));
    }

    IOException again = assertThrows(IOException.class, () -> model.write().save(path));
    assertTrue(again.getMessage().contains("already exists"), again.getMessage());
    Path file = Path.of(path, "data", Seq2SeqModelFile.NAME);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    UncheckedIOException damaged = assertThrows(UncheckedIOException.class,
        () -> LstmSeq2SeqModel.load(path));
    assertTrue(damaged.getMessage().contains(Seq2SeqModelFile.NAME + ": tensor"),
        damaged.getMessage());
  }

  @Test
  void unknownSourceTokensReadAsUnk() {
    Dataset<Row> unknown = spark.createDataFrame(List.of(RowFactory.create("abzcd"),
        RowFactory.create("abycd"), RowFactory.create("ab<unk>cd")),
        new StructType().add("source", DataTypes.StringType));
    List<List<String>> decoded = predictions(model, unknown);
    assertEquals(decoded.get(0), decoded.get(1), "z and y are both <unk>");
    assertEquals(decoded.get(0), predictions(model.copy(ParamMap.empty()).setSourceCol("tokens"),
        spark.createDataFrame(List.of(RowFactory.create(List.of("a", "b", "<unk>", "c", "d"))),
            new StructType().add("tokens", DataTypes.createArrayType(DataTypes.StringType))))
        .get(0));
    assertTrue(decoded.get(0).size() >= 4, decoded.toString());
  }

  @Test
  void badColumnsAndRowsFailNamingThem() {
    StructType strings = new StructType().add("source", DataTypes.StringType)
        .add("target", DataTypes.StringType);
    LstmSeq2Seq lstm = new LstmSeq2Seq().setHiddenSize(4).setEpochs(1).setNumPartitions(1);
    Dataset<Row> pairs = heldOut(4).withColumnRenamed("expected", "target");
    expect("LstmSeq2Seq: row 2 of the training data: column 'source' is empty",
        () -> lstm.fit(spark.createDataFrame(List.of(RowFactory.create("ab", "B A"),
            RowFactory.create(null, "A")), strings)));
    expect("LstmSeq2Seq: row 3 of the training data: column 'target' is empty",
        () -> lstm.fit(spark.createDataFrame(List.of(RowFactory.create("ab", "B A"),
            RowFactory.create("a", "A"), RowFactory.create("a", "  ")), strings)));
    expect("LstmSeq2Seq: needs a column 'words' of string arrays or strings",
        () -> lstm.setSourceCol("words").fit(pairs));
    lstm.setSourceCol("source");
    expect("LstmSeq2Seq: needs a column 'target' of string arrays or strings; the columns are "
        + "struct<source:string,target:int>", () -> lstm.fit(spark.createDataFrame(
            List.of(RowFactory.create("ab", 1)), new StructType().add("source", "string")
            .add("target", "int"))));
    expect("LstmSeq2SeqModel: row 2 of partition 0: column 'source' is empty",
        () -> model.transform(spark.createDataFrame(List.of(RowFactory.create("ab"),
            RowFactory.create("")), new StructType().add("source", "string")).coalesce(1))
            .collect());
    expect("output column 'prediction' already exists", () -> model.transform(
        model.transform(heldOut(2))));
  }

  private static void expect(String message, Runnable r) {
    Throwable e = assertThrows(Exception.class, r::run);
    String all = e.toString() + (e.getCause() == null ? "" : " " + e.getCause());
    assertTrue(all.contains(message), "expected '" + message + "' in: " + all);
  }
}
