package io.sparklstm.cli;

import static io.sparklstm.cli.JobScripts.assertUserError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code task = tagging} through the real scripts: a CoNLL file with a bad line fails naming the
 * file and line (exit 2, nothing written), so does a CSV row whose tokens and tags differ in
 * number; a good file trains with conf/tagger.conf, and jobs/evaluate prints precision, recall
 * and F1 per tag.
 */
class TaggingJobsTest {
  @TempDir
  static Path dir;
  static Path train;
  static Path test;

  /** Sentences whose tag of "Sydney" (a person or a place) is decided by its neighbours. */
  @BeforeAll
  static void data() throws Exception {
    train = Files.writeString(dir.resolve("train.conll"), sentences(300));
    test = Files.writeString(dir.resolve("test.conll"), sentences(40));
  }

  private static String sentences(int n) {
    String[] names = {"Anna", "Paul", "Sydney", "Omar"};
    String[] places = {"Oslo", "Lima", "Sydney", "Cairo"};
    StringBuilder s = new StringBuilder("-DOCSTART- O\n\n");
    for (int i = 0; i < n; i++) {
      if (i % 2 == 0) {
        s.append(names[i / 2 % 4]).append(" B-PER\nsaid O\nhello O\n. O\n\n");
      } else {
        s.append("we O\nvisited O\n").append(places[i / 2 % 4]).append("\tB-LOC\n. O\n\n");
      }
    }
    return s.toString();
  }

  private static JobScripts.Result train(Path data, Path out, String... sets) {
    List<String> args = new ArrayList<>(List.of("--master", "local[2]", "--conf",
        "conf/tagger.conf", "--out", out.toString(), "--set", "data.train=" + data, "--set",
        "data.validation=" + test, "--set", "vocab.min.count=1", "--set", "train.epochs=4",
        "--set", "spark.partitions=2"));
    for (String s : sets) {
      args.addAll(List.of("--set", s));
    }
    return JobScripts.run("train", args.toArray(new String[0]));
  }

  @Test
  void aConllLineOfThreeColumnsFailsNamingFileAndLine() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.conll"),
        "Anna B-PER\nsaid O\n\nwe O\nvisited O NN\nOslo B-LOC\n");
    Path out = dir.resolve("out-bad");
    assertUserError(train(bad, out), bad + " line 5: 3 columns (visited O NN)",
        "expected a token and its tag");
    assertFalse(Files.exists(out), "nothing written to " + out);
  }

  @Test
  void aCsvRowWithMoreTokensThanTagsFailsNamingFileAndRow() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.csv"),
        "tokens,tags\nAnna said hello,B-PER O O\nwe visited Oslo,O O\n");
    Path out = dir.resolve("out-csv");
    assertUserError(train(bad, out, "data.format=csv", "data.validation="),
        bad + " row 2: 3 tokens but 2 tags");
    assertFalse(Files.exists(out), "nothing written to " + out);
  }

  /** A tagger's tokens come split, so a regex tokenizer would be ignored: it fails instead. */
  @Test
  void aRegexTokenizerIsRefusedNotIgnored() {
    Path out = dir.resolve("out-regex");
    assertUserError(train(train, out, "text.tokenizer=regex"), "(text.tokenizer) = regex splits "
        + "text into words, but a tagger's tokens (one a CoNLL line or an array item each) come "
        + "split already");
    assertFalse(Files.exists(out), "nothing written to " + out);
  }

  @Test
  void aGoodFileTrainsAndEvaluatePrintsF1PerTag() throws Exception {
    Path out = dir.resolve("out-good");
    JobScripts.Result r = train(train, out);
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("macro F1"), r.out());
    String metrics = Files.readString(out.resolve("metrics.jsonl"));
    assertTrue(metrics.contains("\"metric\":\"macro F1\""), metrics);
    assertTrue(metrics.contains("\"tags\":[{\"class\":0,\"name\":\"B-LOC\""), metrics);
    assertTrue(Files.readString(out.resolve("report.html")).contains("<h2>Per tag, epoch 4</h2>"),
        "report.html shows the last epoch's figures per tag");

    JobScripts.Result e = JobScripts.run("evaluate", "--master", "local[2]", "--model",
        out.resolve("model").toString(), "--data", test.toString());
    assertEquals(0, e.code(), e.toString());
    assertTrue(e.out().contains("tag precision    recall        f1   support"), e.out());
    for (String tag : List.of("B-LOC", "B-PER", "O")) {
      Matcher m = Pattern.compile("(?m)^\\s*" + tag + " +([0-9.]+) +([0-9.]+) +([0-9.]+) +(\\d+)$")
          .matcher(e.out());
      assertTrue(m.find(), tag + " row in:\n" + e.out());
      assertEquals(1.0, Double.parseDouble(m.group(3)), 1e-9, tag + " F1:\n" + e.out());
    }
  }
}
