package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.io.SavedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loss that explodes but stays a finite number (plain SGD, a learning rate of 20, no
 * clipping: the mean loss climbs past 30 nats within a few rounds, where a uniform guess over
 * the 14 characters costs ln 14 = 2.6) stops the run with the round and the last good
 * checkpoint, like a loss that is not a number at all.
 */
class DivergenceTest {
  @TempDir
  static Path dir;
  static Path conf;

  @BeforeAll
  static void data() throws Exception {
    StringBuilder s = new StringBuilder();
    String[] words = {"whale", "sea", "ship", "captain", "the", "a", "white"};
    io.sparklstm.nn.Rng rng = new io.sparklstm.nn.Rng(1);
    for (int line = 0; line < 400; line++) {
      for (int w = 0; w < 8; w++) {
        s.append(w == 0 ? "" : " ").append(words[rng.nextInt(words.length)]);
      }
      s.append('\n');
    }
    Path text = Files.writeString(dir.resolve("text.txt"), s.toString());
    conf = Files.writeString(dir.resolve("explode.conf"), String.join("\n",
        "task = language-model",
        "data.train = " + text,
        "model.hidden = 16",
        "model.layers = 1",
        "train.batch = 4",
        "train.window = 20",
        "spark.partitions = 2",
        "average.every = 5",
        "checkpoint.every.rounds = 1",
        "optim.name = sgd",
        "optim.lr = 20",
        "optim.clip = 0", ""));
  }

  @Test
  void aFiniteExplosionStopsAtItsRoundNamingTheLastGoodCheckpoint() throws Exception {
    Path out = dir.resolve("run");
    String[] r = JobsTest.run("train", "--conf", conf.toString(), "--out", out.toString());
    assertEquals("2", r[0], r[1] + r[2]);
    Matcher m = Pattern.compile("^error: training diverged at epoch 1, round (\\d+)/\\d+: the "
        + "mean loss (\\S+) exceeds train\\.divergence\\.factor x ln V = 10\\.0 x ln 14 = "
        + "26\\.39 \\(ln V: the loss of a uniform guess, where training starts\\); lower "
        + "optim\\.lr or set optim\\.clip; the last good checkpoint is (\\S+)$")
        .matcher(JobsTest.errorLine(r));
    assertTrue(m.matches(), r[2]);
    int round = Integer.parseInt(m.group(1));
    assertTrue(Double.parseDouble(m.group(2)) > 26.39 && round > 1, r[2]);
    SavedModel last = SavedModel.read(m.group(3), new Configuration());
    assertEquals(round - 1, last.state().round(), "the checkpoint before the bad round");
    assertFalse(Files.exists(out.resolve("model/model.bin")), "no model of a diverged run");
  }

  @Test
  void withTheRuleOffTheSameRunTrainsToTheEnd() throws Exception {
    Path out = dir.resolve("off");
    String[] r = JobsTest.run("train", "--conf", conf.toString(), "--out", out.toString(),
        "--set", "train.divergence.factor=0");
    assertEquals("0", r[0], r[2]);
    double worst = Files.readAllLines(out.resolve("metrics.jsonl")).stream()
        .filter(l -> l.contains("\"type\":\"round\""))
        .mapToDouble(l -> Double.parseDouble(l.replaceAll(".*\"loss\":([^,]+),.*", "$1")))
        .max().orElseThrow();
    assertTrue(worst > 26.39, "the loss this rule stops at: " + worst);
  }

  @Test
  void theFactorIsCheckedLikeEveryKey() {
    String[] r = JobsTest.run("train", "--conf", conf.toString(), "--out",
        dir.resolve("bad").toString(), "--set", "train.divergence.factor=0.5");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("train.divergence.factor = '0.5' is invalid: expected 0 (off) or a"
        + " number in [1, 1e9]"), r[2]);
  }
}
