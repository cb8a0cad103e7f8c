package io.sparklstm.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparklstm.cli.JobConfig;
import io.sparklstm.io.Safetensors;
import io.sparklstm.io.SavedModel;
import io.sparklstm.ml.param.JobSettings;
import io.sparklstm.nn.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LstmLanguageModel and LstmTextModel: the jobs' language model bit for bit from the jobs'
 * settings, lines scored on the executors as the single-line method scores them, continuations
 * generated as jobs/generate prints them, and a saved model that the jobs read and export.
 */
class LstmLanguageModelTest {
  @TempDir
  static Path dir;
  static Path text;
  static Path conf;
  static float[] jobParams;
  static List<Double> jobHeldOutBits;
  static SparkSession spark;
  static LstmTextModel model;

  /** The jobs' run first: it starts and stops its own Spark context. */
  @BeforeAll
  static void trainWithTheJob() throws Exception {
    Rng rng = new Rng(3);
    String[] words = {"whale", "sea", "ship", "captain", "the", "a", "white", "harpoon", "deck"};
    StringBuilder s = new StringBuilder();
    for (int line = 0; line < 400; line++) {
      for (int w = 0; w < 6; w++) {
        s.append(w == 0 ? "" : " ").append(words[rng.nextInt(words.length)]);
      }
      s.append(".\n");
    }
    text = Files.writeString(dir.resolve("corpus.txt"), s.toString());
    conf = Files.writeString(dir.resolve("lm.conf"), String.join("\n", "task = language-model",
        "data.train = " + text, "model.hidden = 16", "model.layers = 1", "train.epochs = 2",
        "train.batch = 4", "train.window = 20", "spark.partitions = 2", "average.every = 20",
        "optim.lr = 0.01", ""));
    Path out = dir.resolve("job");
    MlTests.job("train", "--conf", conf.toString(), "--out", out.toString());
    jobParams = SavedModel.read(out.resolve("model/model.bin").toString(), new Configuration())
        .state().model().params();
    ObjectMapper json = new ObjectMapper();
    jobHeldOutBits = Files.readAllLines(out.resolve("metrics.jsonl")).stream()
        .filter(l -> l.contains("\"type\":\"epoch\"")).map(l -> {
          try {
            return json.readTree(l).get("value").asDouble();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }).toList();
    spark = MlTests.session();
    JobSettings settings = JobSettings.fromConf(JobConfig.load(conf, List.of()).asMap(),
        conf.toString());
    model = settings.copyValues(new LstmLanguageModel(), ParamMap.empty())
        .fit(spark.read().text(text.toString()));
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void theJobsSettingsTrainTheJobsModelBitForBit() throws Exception {
    assertArrayEquals(jobParams, model.parameters());
    double[] heldOut = model.summary().heldOutBitsPerToken();
    assertEquals(jobHeldOutBits.size(), heldOut.length);
    for (int e = 0; e < heldOut.length; e++) {
      assertEquals(jobHeldOutBits.get(e), heldOut[e], 5e-7, "held-out bits, epoch " + (e + 1));
    }
    JobSettings settings = JobSettings.fromConf(JobConfig.load(conf, List.of()).asMap(), "lm");
    LstmTextModel strict = settings.copyValues(new LstmLanguageModel(), ParamMap.empty())
        .fit(LstmLanguageModel.readText(spark, text.toString()));
    assertArrayEquals(jobParams, strict.parameters(), "readText reads the same lines");
  }

  @Test
  void linesAreScoredOnTheExecutorsAsTheSingleLineMethodScoresThem() {
    Dataset<Row> lines = spark.read().text(text.toString()).limit(120);
    List<Row> exact = model.copy(ParamMap.empty()).setScoringBatchSize(1).transform(lines)
        .collectAsList();
    List<Row> batched = model.transform(lines).collectAsList();
    double bits = 0;
    long tokens = 0;
    for (int i = 0; i < exact.size(); i++) {
      Row r = exact.get(i);
      double[] alone = model.logLikelihood(r.getString(0));
      assertEquals(alone[0], r.getDouble(1), 0.0, "log-likelihood, bit for bit: " + r);
      assertEquals((int) alone[1], r.getInt(2));
      assertEquals(r.getString(0).length() + 1, r.getInt(2), "characters and a line break");
      assertEquals(-alone[0] / Math.log(2) / alone[1], r.getDouble(3), 0.0);
      assertEquals(r.getDouble(1), batched.get(i).getDouble(1), 1e-4, "minibatched");
      bits -= r.getDouble(1) / Math.log(2);
      tokens += r.getInt(2);
    }
    System.out.printf("%d lines scored: %.4f bits per token%n", exact.size(), bits / tokens);
    assertTrue(bits / tokens < Math.log(model.vocabulary().size()) / Math.log(2) / 2,
        "well below a uniform guess");
  }

  @Test
  void continuationsAreTheSameForTheSameSeedAndAreWhatJobsGeneratePrints() throws Exception {
    Dataset<Row> prompts = spark.createDataset(List.of("the white ", "sea ", ""),
        Encoders.STRING()).toDF("prompt").repartition(2);
    LstmTextModel sampler = model.copy(ParamMap.empty()).setGenerateLength(12)
        .setTemperature(0.7).setTopK(5).setSampleSeed(4);
    List<Row> first = sampler.generate(prompts).orderBy("prompt").collectAsList();
    List<Row> second = sampler.generate(prompts.repartition(3)).orderBy("prompt")
        .collectAsList();
    assertEquals(first, second, "the same seed gives the same text, however partitioned");
    String saved = dir.resolve("saved-lm").toString();
    model.write().save(saved);
    String printed = MlTests.job("generate", "--model", saved + "/data", "--prime",
        "the white ", "--length", "12", "--temperature", "0.7", "--top-k", "5", "--seed", "4");
    String white = first.stream().filter(r -> r.getString(0).equals("the white ")).findFirst()
        .orElseThrow().getString(1);
    assertTrue(printed.contains("\nthe white " + white + "\n----"), printed + " vs " + white);
  }

  @Test
  void aSavedModelLoadsBackAndExportsItsVocabularyToSafetensors() throws Exception {
    String saved = dir.resolve("lm-model").toString();
    model.save(saved);
    LstmTextModel back = LstmTextModel.load(saved);
    Dataset<Row> lines = spark.read().text(text.toString()).limit(40);
    assertEquals(model.transform(lines).collectAsList(), back.transform(lines).collectAsList());

    Path st = dir.resolve("lm.safetensors");
    MlTests.job("export", "--model", saved + "/data", "--out", st.toString());
    Map<String, String> meta = Safetensors.readMetadata(Files.readAllBytes(st), st.toString());
    ObjectMapper json = new ObjectMapper();
    assertTrue(meta.containsKey("vocabulary") && meta.containsKey("spec"), meta.toString());
    assertEquals(model.vocabulary(), json.readValue(meta.get("vocabulary"), List.class));
    assertEquals("<unk>", model.vocabulary().get(0));
    assertEquals("char", meta.get("tokens"));
    Map<?, ?> spec = json.readValue(meta.get("spec"), Map.class);
    assertEquals(model.spec().fields(), spec);
    assertEquals(16, spec.get("hiddenSize"));
  }
}
