package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.io.SavedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training data that would give a wrong or useless model, through the jobs in process: class
 * directories are classes by name, in the model and at evaluation; data with one class, no
 * known token or UTF-16 text fails before training, naming what to fix, and writes nothing.
 */
class DataChecksTest {
  private static final List<String> FRUIT = List.of("apple", "banana", "cherry");

  @TempDir
  Path dir;

  /** Trains conf/text-classifier.conf, small and quick, with {@code sets} on top. */
  private static String[] train(Path out, String... sets) {
    List<String> args = new ArrayList<>(List.of("train", "--conf", "conf/text-classifier.conf",
        "--out", out.toString()));
    for (String s : List.of("data.validation=", "spark.partitions=1", "model.hidden=8",
        "model.embedding=8", "vocab.min.count=1", "train.batch=4", "optim.lr=0.02")) {
      args.addAll(List.of("--set", s));
    }
    for (String s : sets) {
      args.addAll(List.of("--set", s));
    }
    return JobsTest.run(args.toArray(new String[0]));
  }

  /** {@code files} texts per class, each of words only its class uses. */
  private Path classDirectories(String name, List<String> classes, int files) throws Exception {
    Path root = dir.resolve(name);
    for (String c : classes) {
      Files.createDirectories(root.resolve(c));
      for (int i = 0; i < files; i++) {
        Files.writeString(root.resolve(c).resolve(i + ".txt"), c + " " + c.charAt(0) + i % 3
            + " " + c + "s\n");
      }
    }
    return root;
  }

  private void expectFailure(String[] result, Path out, String... fragments) {
    assertEquals("2", result[0], result[2]);
    for (String f : fragments) {
      assertTrue(result[2].contains(f), "'" + f + "' in: " + result[2]);
    }
    assertFalse(Files.exists(out), "nothing written to " + out);
  }

  @Test
  void classDirectoriesAreClassesByNameInTheModelAndAtEvaluation() throws Exception {
    Path out = dir.resolve("fruit");
    String[] r = train(out, "data.format=labelled-dirs", "model.classes=3", "train.epochs=10",
        "data.train=" + classDirectories("train", FRUIT, 12));
    assertEquals("0", r[0], r[2]);
    assertEquals(FRUIT, SavedModel.read(out.resolve("model/model.bin").toString(),
        new Configuration()).classes());

    // A test folder without banana: cherry is still class 2, and the model gets it right.
    Path json = dir.resolve("eval.json");
    String[] ev = JobsTest.run("evaluate", "--model", out.resolve("model").toString(), "--data",
        classDirectories("test", List.of("apple", "cherry"), 3).toString(), "--out",
        json.toString());
    assertEquals("0", ev[0], ev[2]);
    String metrics = Files.readString(json);
    assertTrue(metrics.contains("\"accuracy\":1.000000"), metrics);
    assertTrue(metrics.contains("\"confusion\":[[3,0,0],[0,0,0],[0,0,3]]"), metrics);
    assertTrue(metrics.contains("\"class\":2,\"name\":\"cherry\""), metrics);

    Path unknown = classDirectories("unknown", List.of("apple", "durian"), 1);
    Path noJson = dir.resolve("none.json");
    expectFailure(JobsTest.run("evaluate", "--model", out.resolve("model").toString(), "--data",
        unknown.toString(), "--out", noJson.toString()), noJson,
        "class directory 'durian' is not one of the model's classes [apple, banana, cherry]");

    Path stray = classDirectories("stray", FRUIT, 2);
    Files.writeString(stray.resolve("notes.txt"), "not a class");
    Path strayOut = dir.resolve("stray-run");
    expectFailure(train(strayOut, "data.format=labelled-dirs", "model.classes=3",
        "data.train=" + stray), strayOut, "data.train: " + stray.resolve("notes.txt")
        + " is a file at the top level of " + stray);
  }

  @Test
  void degenerateTrainingDataFailsBeforeTraining() throws Exception {
    Path out = dir.resolve("out");
    Path oneClass = Files.writeString(dir.resolve("one.csv"), "text,label\nspam,1\nmore spam,1\n"
        + "\"spam, again\",1\n");
    expectFailure(train(out, "data.train=" + oneClass), out, "data.train " + oneClass
        + " holds examples of one class only ('1', 3 examples)");

    Path twoClasses = Files.writeString(dir.resolve("two.csv"), "text,label\nham,0\nspam,1\n");
    expectFailure(train(out, "data.train=" + twoClasses, "vocab.min.count=1000"), out,
        "vocab.min.count = 1000 leaves only the unknown token: no word of data.train "
            + twoClasses + " occurs 1000 times");
    String story = "call me ishmael. some years ago, never mind how long precisely.\n".repeat(40);
    Path text = Files.writeString(dir.resolve("story.txt"), story);
    String[] lm = {"task=language-model", "data.format=text", "vocab.level=char",
        "train.window=10", "data.train=" + text};
    expectFailure(train(out, concat(lm, "vocab.min.count=100000")), out,
        "vocab.min.count = 100000 leaves only the unknown token: no character of data.train "
            + text + " occurs 100000 times");

    // UTF-16 without a byte-order mark: valid UTF-8 bytes, a NUL beside every ASCII character.
    byte[] utf16 = "text,label\nham,0\nspam,1\n".getBytes(StandardCharsets.UTF_16LE);
    Path csv16 = Files.write(dir.resolve("utf16.csv"), utf16);
    expectFailure(train(out, "data.train=" + csv16), out, "data.train: " + csv16
        + " is not UTF-8 text: it has a NUL byte at byte 1", "convert it to UTF-8");
    Path text16 = Files.write(dir.resolve("utf16.txt"), story.getBytes(
        StandardCharsets.UTF_16LE));
    expectFailure(train(out, concat(lm, "data.train=" + text16)), out, "data.train: " + text16
        + " is not UTF-8 text: it has a NUL byte at byte 1", "convert it to UTF-8");
  }

  private static String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(new String[0]);
  }
}
