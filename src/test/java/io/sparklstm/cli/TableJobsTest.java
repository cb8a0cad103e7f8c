package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.nn.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labelled texts from CSV and feature sequences from Parquet, and their bad rows. */
class TableJobsTest {
  @TempDir
  Path dir;

  @Test
  void csvTextClassifierLearnsAndEvaluates() throws Exception {
    Rng rng = new Rng(5);
    String[] plain = {"meeting", "tomorrow", "lunch", "report", "team", "notes", "call"};
    String[] spam = {"free", "winner", "prize", "cash", "offer"};
    StringBuilder csv = new StringBuilder("text,label\n");
    for (int i = 0; i < 600; i++) {
      int label = rng.nextInt(2);
      StringBuilder t = new StringBuilder();
      for (int w = 0; w < 8; w++) {
        t.append(plain[rng.nextInt(plain.length)]).append(' ');
      }
      if (label == 1) {
        t.append(spam[rng.nextInt(spam.length)]).append(' ');
      }
      for (int w = 0; w < 3; w++) {
        t.append(plain[rng.nextInt(plain.length)]).append(' ');
      }
      csv.append('"').append(t.toString().strip()).append("\",").append(label).append('\n');
    }
    Path data = Files.writeString(dir.resolve("texts.csv"), csv.toString());
    Path out = dir.resolve("spam");
    String[] r = JobsTest.run("train", "--conf", "conf/text-classifier.conf", "--out",
        out.toString(), "--set", "data.train=" + data, "--set", "data.validation=" + data,
        "--set", "model.hidden=16", "--set", "model.embedding=8", "--set", "vocab.min.count=1",
        "--set", "train.epochs=10", "--set", "train.batch=16", "--set", "optim.lr=0.01",
        "--set", "spark.partitions=2", "--set", "average.every=5");
    assertEquals("0", r[0], r[2]);
    Path json = dir.resolve("eval.json");
    String[] ev = JobsTest.run("evaluate", "--model", out.resolve("model").toString(), "--data",
        data.toString(), "--out", json.toString());
    assertEquals("0", ev[0], ev[2]);
    String metrics = Files.readString(json);
    double accuracy = Double.parseDouble(metrics.replaceAll(".*\"accuracy\":([0-9.]+).*", "$1")
        .strip());
    assertTrue(accuracy >= 0.95, "spam accuracy " + accuracy + " in " + metrics);
    assertTrue(metrics.contains("\"confusion\""));

    Path bad = Files.writeString(dir.resolve("bad.csv"), "text,label\nhello there,0\nfree cash,7\n");
    String[] e = JobsTest.run("train", "--conf", "conf/text-classifier.conf", "--out",
        dir.resolve("bad").toString(), "--set", "data.train=" + bad, "--set", "data.validation=",
        "--set", "spark.partitions=1");
    assertEquals("2", e[0]);
    assertTrue(e[2].contains("row 2: label 7 is outside [0, 2)"), e[2]);
  }

  @Test
  void parquetFeaturesRejectRaggedRowsAndNaN() throws Exception {
    Path ragged = dir.resolve("ragged.parquet");
    Path nan = dir.resolve("nan.parquet");
    StructType schema = new StructType()
        .add("features", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)))
        .add("label", DataTypes.IntegerType);
    try (SparkSession spark = SparkSession.builder().master("local[1]").appName("write")
        .config("spark.ui.enabled", "false").getOrCreate()) {
      List<Row> rows = new ArrayList<>();
      rows.add(RowFactory.create(List.of(List.of(1f, 2f), List.of(3f, 4f)), 0));
      rows.add(RowFactory.create(List.of(List.of(1f, 2f), List.of(3f)), 1));
      spark.createDataFrame(rows, schema).coalesce(1).write().parquet(ragged.toString());
      List<Row> nanRows = new ArrayList<>();
      nanRows.add(RowFactory.create(List.of(List.of(1f, Float.NaN)), 0));
      spark.createDataFrame(nanRows, schema).coalesce(1).write().parquet(nan.toString());
    }
    String[] base = {"train", "--conf", "conf/text-classifier.conf", "--set",
        "data.format=parquet", "--set", "model.input=dense", "--set", "data.validation=",
        "--set", "spark.partitions=1"};
    String[] r1 = JobsTest.run(concat(base, "--out", dir.resolve("o1").toString(), "--set",
        "data.train=" + ragged));
    assertEquals("2", r1[0]);
    assertTrue(r1[2].contains("row 2: step 2 has 1 features, expected 2"), r1[2]);
    String[] r2 = JobsTest.run(concat(base, "--out", dir.resolve("o2").toString(), "--set",
        "data.train=" + nan));
    assertEquals("2", r2[0]);
    assertTrue(r2[2].contains("feature 2 of step 1 is NaN"), r2[2]);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
