package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.io.Seq2SeqModelFile;
import io.sparklstm.nn.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** task = seq2seq through the jobs: train, evaluate, translate, and bad pair files. */
class Seq2SeqJobsTest {
  @TempDir
  Path dir;

  /** Words of 3 to 6 letters of a..e, each with its letters reversed as upper-case tokens. */
  private static String reversals(int n, long seed) {
    Rng rng = new Rng(seed);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      StringBuilder word = new StringBuilder();
      for (int t = 0, len = 3 + rng.nextInt(4); t < len; t++) {
        word.append((char) ('a' + rng.nextInt(5)));
      }
      s.append(word).append('\t').append(reversed(word.toString())).append('\n');
    }
    return s.toString();
  }

  private static String reversed(String word) {
    return String.join(" ", new StringBuilder(word.toUpperCase()).reverse().toString()
        .split(""));
  }

  @Test
  void trainsEvaluatesAndTranslates() throws Exception {
    Path train = Files.writeString(dir.resolve("train.tsv"), reversals(800, 1));
    Path test = Files.writeString(dir.resolve("test.tsv"), reversals(100, 2));
    Path out = dir.resolve("run");
    String[] r = JobsTest.run("train", "--conf", "conf/g2p.conf", "--out", out.toString(),
        "--set", "data.train=" + train, "--set", "data.validation=" + test,
        "--set", "model.hidden=32", "--set", "train.epochs=12", "--set", "optim.lr=0.01",
        "--set", "spark.partitions=2", "--set", "average.every=5",
        "--set", "model.dropout.output=0"); // the figures below are of the model without it
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("element (phoneme) error rate"), r[1]);
    Seq2SeqModelFile model = Seq2SeqModelFile.read(out + "/model/" + Seq2SeqModelFile.NAME,
        new Configuration());
    assertEquals(List.of("<unk>", "a", "b", "c", "d", "e"), model.source().tokens());
    assertEquals(List.of("</s>", "<unk>", "A", "B", "C", "D", "E"), model.target().tokens());

    Path json = dir.resolve("eval.json");
    String[] ev = JobsTest.run("evaluate", "--model", out.resolve("model").toString(), "--data",
        test.toString(), "--out", json.toString(), "--beam", "3");
    assertEquals("0", ev[0], ev[2]);
    String metrics = Files.readString(json);
    double accuracy = Double.parseDouble(metrics.replaceAll(
        ".*\"sequenceAccuracy\":([0-9.]+).*", "$1").strip());
    // 0.76 with this seed (an untrained model gets none right; greedy held-out in training: 0.72
    // after epoch 12); the learning tests hold the bar of 99%
    assertTrue(accuracy >= 0.7, "held-out sequence accuracy " + accuracy + " in " + metrics);
    assertTrue(ev[1].contains("decoded with a beam of 3"), ev[1]);

    Path words = Files.writeString(dir.resolve("words.txt"), "abc\needa\nbadcab\n");
    String[] tr = JobsTest.run("translate", "--model", out.resolve("model").toString(),
        "--input", words.toString(), "--beam", "2");
    assertEquals("0", tr[0], tr[2]);
    List<String> lines = tr[1].lines().toList();
    assertEquals(3, lines.size(), tr[1]);
    int right = 0;
    for (int i = 0; i < 3; i++) {
      assertTrue(lines.get(i).matches("[A-E]( [A-E])*"), "translations " + lines);
      right += lines.get(i).equals(reversed(List.of("abc", "eeda", "badcab").get(i))) ? 1 : 0;
    }
    assertTrue(right >= 2, "translations " + lines); // all 3 right with this seed
  }

  @Test
  void badPairsFailWithFileAndLine() throws Exception {
    String[][] cases = {
        {"bad.tsv", "abc\tC B A\nabd C B A\n", "tsv", "bad.tsv line 2: no tab"},
        {"empty.tsv", "abc\tC B A\n\tB A\n", "tsv", "empty.tsv line 2: source is empty"},
        {"bad.csv", "source,target\nabc,C B A\n,B A\n", "csv", "bad.csv row 2: source is "
            + "empty"},
        {"cols.csv", "word,target\nabc,C B A\n", "csv", "expected a column 'source'"}};
    for (String[] c : cases) {
      Path data = Files.writeString(dir.resolve(c[0]), c[1]);
      String[] e = JobsTest.run("train", "--conf", "conf/g2p.conf", "--out",
          dir.resolve("out-" + c[0]).toString(), "--set", "data.train=" + data,
          "--set", "data.validation=", "--set", "data.format=" + c[2],
          "--set", "spark.partitions=1");
      assertEquals("2", e[0], e[2]);
      assertTrue(JobsTest.errorLine(e).contains(c[3]), c[0] + ": " + e[2]);
    }
  }
}
