package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparklstm.data.Tokenizer;
import io.sparklstm.nn.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jobs/bench-classify in process on small generated texts, in Spark local mode. */
class BenchClassifyTest {
  @TempDir
  static Path dir;
  static Path conf;

  /**
   * Texts of 4 to 12 filler words with a cue word for the label somewhere; one label in ten is
   * flipped, so that no method is perfect and the logistic regressions converge quickly.
   */
  static String texts(int n, long seed) {
    Rng rng = new Rng(seed);
    String[] filler = {"alpha", "beta", "gamma", "delta", "zeta", "theta", "kappa", "sigma"};
    StringBuilder s = new StringBuilder("text,label\n");
    for (int i = 0; i < n; i++) {
      int label = rng.nextInt(2);
      int length = 4 + rng.nextInt(9);
      int cue = rng.nextInt(length + 1);
      StringBuilder t = new StringBuilder();
      for (int w = 0; w <= length; w++) {
        String word = w == cue ? (label == 1 ? "good" : "bad") : filler[rng.nextInt(8)];
        t.append(w == 0 ? "" : " ").append(word);
      }
      int shown = rng.nextInt(10) == 0 ? 1 - label : label;
      s.append('"').append(t).append("\",").append(shown).append('\n');
    }
    return s.toString();
  }

  @BeforeAll
  static void data() throws Exception {
    Path train = Files.writeString(dir.resolve("train.csv"), texts(240, 1));
    Path test = Files.writeString(dir.resolve("test.csv"), texts(90, 2));
    conf = Files.writeString(dir.resolve("bench.conf"), String.join("\n",
        "task = classification", "data.format = csv", "data.train = " + train,
        "data.validation = " + test, "model.classes = 2", "vocab.level = word",
        "vocab.min.count = 1", "text.max.length = 20", "model.input = embedding",
        "model.embedding = 8", "model.hidden = 8", "train.epochs = 3", "train.batch = 16",
        "optim.lr = 0.02", "spark.partitions = 2", ""));
  }

  @Test
  void threeMethodsAreScoredOnTheSameHeldOutRows() throws Exception {
    Path out = dir.resolve("table.json");
    String[] r = JobsTest.run("bench-classify", "--conf", conf.toString(), "--out",
        out.toString());
    assertEquals("0", r[0], r[2]);
    JsonNode rows = new ObjectMapper().readTree(out.toFile());
    assertEquals(3, rows.size(), rows.toString());
    List<String> methods = List.of("LSTM (" + conf + ")", "bag of words + logistic regression",
        "char 1-4-grams + logistic regression");
    for (int i = 0; i < 3; i++) {
      JsonNode m = rows.get(i);
      assertEquals(methods.get(i), m.get("method").asText());
      assertEquals(90, m.get("heldOut").asLong(), "every method scores the 90 held-out rows");
      for (String metric : new String[] {"accuracy", "macroF1"}) {
        double v = m.get(metric).asDouble();
        assertTrue(v >= 0 && v <= 1, metric + " " + v);
      }
      assertTrue(m.get("seconds").asDouble() > 0, m.toString());
      assertTrue(r[1].contains(methods.get(i)), "the table on the console names " + methods);
    }
    // With a cue word per text and one label in ten flipped, the word counts reach about 0.9.
    assertTrue(rows.get(1).get("accuracy").asDouble() >= 0.75, rows.toString());
    assertTrue(r[1].contains("240 training and 90 held-out texts"), r[1]);

    String[] again = JobsTest.run("bench-classify", "--conf", conf.toString(), "--out",
        out.toString());
    assertEquals("2", again[0]);
    assertTrue(JobsTest.errorLine(again).contains("already exists; pass --overwrite"),
        again[2]);
  }

  @Test
  void aConfWithoutHeldOutTextsOrWithImagesIsRefused() {
    String[] r = JobsTest.run("bench-classify", "--conf", conf.toString(), "--set",
        "data.validation=");
    assertEquals("2", r[0], r[2]);
    assertTrue(JobsTest.errorLine(r).startsWith("error: bench-classify needs data.validation"),
        r[2]);
    String[] idx = JobsTest.run("bench-classify", "--conf", "conf/fashion-mnist.conf");
    assertEquals("2", idx[0], idx[2]);
    assertTrue(JobsTest.errorLine(idx).contains("data.format = idx"), idx[2]);
    // the estimator keeps its last model: a conf that asks for the best one is not benched
    String[] best = JobsTest.run("bench-classify", "--conf", conf.toString(), "--set",
        "train.early.stop.patience=2");
    assertEquals("2", best[0], best[2]);
    assertTrue(JobsTest.errorLine(best).contains("train.early.stop.patience = 2 is for "
        + "jobs/train"), best[2]);
  }

  @Test
  void theBaselinesReadWhatTheLstmReads() {
    assertEquals("a b c", BenchClassifyJob.prefix("  a\tb\nc d e", Tokenizer.WHITESPACE, 3));
    assertEquals("a b", BenchClassifyJob.prefix("a b", Tokenizer.WHITESPACE, 3));
    assertEquals("Zoë", BenchClassifyJob.prefix("Zoë Smith", Tokenizer.CHARS, 3));
    assertEquals("\uD83D\uDE00x", BenchClassifyJob.prefix("\uD83D\uDE00xyz", Tokenizer.CHARS, 2));
  }
}
