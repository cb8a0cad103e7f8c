package io.sparklstm.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.cli.JobConfig;
import io.sparklstm.data.Example;
import io.sparklstm.data.SyntheticTasks;
import io.sparklstm.io.Safetensors;
import io.sparklstm.io.SavedModel;
import io.sparklstm.ml.param.JobSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LstmTagger}: the jobs' settings and data train the jobs' model bit for bit; transform
 * tags every token on the executors (the generated language whose tags need both sides); a saved
 * model loads, tags the same, and jobs/evaluate and jobs/export read it (last: evaluate needs the
 * session stopped, as a JVM holds one Spark context).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LstmTaggerTest {
  private static final String[] WORDS = {"ant", "bee", "cat", "dog", "eel", "fox"};
  private static final String[] TAGS = {"X", "Y", "Z"};

  @TempDir
  static Path dir;
  static Path csv;
  static Path conf;
  static float[] jobParams;
  static SparkSession spark;
  static LstmTaggerModel model;

  /** Sentences of SyntheticTasks.contextTags as words and tag names. */
  private static List<String[]> sentences(int n, long seed) {
    List<String[]> out = new ArrayList<>();
    for (Example e : SyntheticTasks.contextTags(n, 6, 3, 3, 12, seed)) {
      StringBuilder tokens = new StringBuilder();
      StringBuilder tags = new StringBuilder();
      for (int t = 0; t < e.steps(); t++) {
        tokens.append(t == 0 ? "" : " ").append(WORDS[e.tokens()[t]]);
        tags.append(t == 0 ? "" : " ").append(TAGS[e.tags()[t]]);
      }
      out.add(new String[] {tokens.toString(), tags.toString()});
    }
    return out;
  }

  @BeforeAll
  static void trainWithTheJob() throws Exception {
    StringBuilder s = new StringBuilder("tokens,tags\n");
    sentences(1500, 1).forEach(r -> s.append(r[0]).append(',').append(r[1]).append('\n'));
    csv = Files.writeString(dir.resolve("train.csv"), s.toString());
    conf = Files.writeString(dir.resolve("tagger.conf"), String.join("\n", "task = tagging",
        "data.format = csv", "data.train = " + csv, "vocab.min.count = 1",
        "model.input = embedding", "model.embedding = 8", "model.hidden = 16",
        "model.layers = 2", "model.bidirectional = true", "text.max.length = 12",
        "train.epochs = 3", "train.batch = 16", "spark.partitions = 2", "average.every = 10",
        "optim.lr = 0.01", ""));
    Path out = dir.resolve("job");
    MlTests.job("train", "--conf", conf.toString(), "--out", out.toString());
    jobParams = SavedModel.read(out.resolve("model/model.bin").toString(), new Configuration())
        .state().model().params();
    spark = MlTests.session();
    JobSettings settings = JobSettings.fromConf(JobConfig.load(conf, List.of()).asMap(),
        conf.toString());
    model = settings.copyValues(new LstmTagger(), ParamMap.empty())
        .fit(spark.read().option("header", "true").csv(csv.toString()));
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  @Order(1)
  void theJobsSettingsTrainTheJobsModelBitForBit() {
    assertArrayEquals(jobParams, model.parameters());
    assertEquals(List.of("X", "Y", "Z"), model.tags());
  }

  /** Token accuracy of transform's predicted tags on held-out sentences. */
  private static double accuracy(LstmTaggerModel m, Dataset<Row> test) {
    long right = 0;
    long all = 0;
    for (Row r : m.transform(test).collectAsList()) {
      String[] want = r.getString(r.fieldIndex("tags")).split(" ");
      List<String> got = r.getList(r.fieldIndex("predictedTags"));
      assertEquals(want.length, got.size(), "a tag per token");
      for (int t = 0; t < want.length; t++) {
        right += want[t].equals(got.get(t)) ? 1 : 0;
        all++;
      }
    }
    return (double) right / all;
  }

  @Test
  @Order(2)
  void transformTagsEveryTokenAndASavedModelTagsTheSame() throws Exception {
    List<Row> rows = new ArrayList<>();
    List<String[]> heldOut = sentences(200, 2);
    heldOut.forEach(r -> rows.add(org.apache.spark.sql.RowFactory.create(r[0], r[1])));
    Dataset<Row> test = spark.createDataFrame(rows, new org.apache.spark.sql.types.StructType()
        .add("tokens", "string").add("tags", "string"));
    double accuracy = accuracy(model, test);
    System.out.printf("LstmTagger held-out token accuracy %.4f%n", accuracy);
    assertTrue(accuracy >= 0.9, "held-out token accuracy " + accuracy);

    String path = dir.resolve("saved").toString();
    model.write().save(path);
    LstmTaggerModel loaded = LstmTaggerModel.load(path);
    assertEquals(model.tags(), loaded.tags());
    assertEquals(accuracy, accuracy(loaded, test));

    Path exported = dir.resolve("tagger.safetensors");
    MlTests.job("export", "--model", path, "--out", exported.toString());
    Map<String, String> meta = Safetensors.readMetadata(Files.readAllBytes(exported),
        exported.toString());
    assertEquals("[\"X\",\"Y\",\"Z\"]", meta.get("tags"));

    StringBuilder conll = new StringBuilder();
    for (String[] r : heldOut) {
      String[] tokens = r[0].split(" ");
      String[] tags = r[1].split(" ");
      for (int t = 0; t < tokens.length; t++) {
        conll.append(tokens[t]).append('\t').append(tags[t]).append('\n');
      }
      conll.append('\n');
    }
    Path conllFile = Files.writeString(dir.resolve("test.conll"), conll.toString());
    spark.stop();
    spark = null;
    String printed = MlTests.job("evaluate", "--model", path, "--data", conllFile.toString());
    assertTrue(printed.contains(String.format(java.util.Locale.ROOT, "token accuracy %.4f",
        accuracy)), "jobs/evaluate on a CoNLL copy agrees with transform:\n" + printed);
  }
}
