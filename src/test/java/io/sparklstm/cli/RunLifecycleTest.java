package io.sparklstm.cli;

import static io.sparklstm.cli.JobsTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory's life, in process: nothing a user has is overwritten without asking, a
 * resumed run uses the run's own data and partitions, and its log and budget count the whole
 * run (issue 11, items 3, 5 and 6; the lock, kills and Ctrl-C are in {@link RunFaultsTest}).
 */
class RunLifecycleTest {
  /** The fields of a round line that measure time or memory, not training. */
  static final List<String> TIMINGS = List.of("examplesPerSecond", "computeSeconds",
      "broadcastSeconds", "aggregateSeconds", "wallSeconds", "executorRssMiB");

  @TempDir
  static Path dir;
  static Path text;
  static Path conf;

  @BeforeAll
  static void data() throws Exception {
    text = Files.writeString(dir.resolve("corpus.txt"), JobsTest.corpus(600));
    conf = JobsTest.tinyConf(dir, text);
  }

  static String[] train(Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--conf", conf.toString(), "--out",
        out.toString()));
    args.addAll(List.of(more));
    return run(args.toArray(new String[0]));
  }

  /** metrics.jsonl without the fields that measure time or memory. */
  static List<String> logWithoutTimings(Path runDir) throws Exception {
    return Files.readAllLines(runDir.resolve("metrics.jsonl")).stream().map(l -> {
      String s = l;
      for (String f : TIMINGS) {
        s = s.replaceAll(",\"" + f + "\":[^,}]*", "");
      }
      return s;
    }).toList();
  }

  /** report.html without its timing cells. */
  static String reportWithoutTimings(Path runDir) throws Exception {
    return Files.readString(runDir.resolve("report.html"))
        .replaceAll("<td class=\"t\">[^<]*</td>", "<td class=\"t\"></td>");
  }

  static void assertSameRun(Path expected, Path actual) throws Exception {
    assertArrayEquals(Files.readAllBytes(expected.resolve("model/model.bin")),
        Files.readAllBytes(actual.resolve("model/model.bin")), "the model, byte for byte");
    assertEquals(logWithoutTimings(expected), logWithoutTimings(actual), "metrics.jsonl");
    assertEquals(reportWithoutTimings(expected), reportWithoutTimings(actual), "report.html");
  }

  // Item 3: runs and files are not overwritten without asking.

  @Test
  void aFinishedRunWithoutCheckpointsIsNotOverwritten() throws Exception {
    Path out = dir.resolve("short");
    String[] first = train(out, "--set", "train.max.rounds=2");
    assertEquals("0", first[0], first[2]);
    assertFalse(Files.exists(out.resolve("checkpoints")), "stopped before any checkpoint");
    byte[] model = Files.readAllBytes(out.resolve("model/model.bin"));
    String[] again = train(out, "--set", "train.max.rounds=3");
    assertEquals("2", again[0], again[2]);
    assertTrue(again[2].contains("already holds a run (model, metrics.jsonl, report.html)"),
        again[2]);
    assertArrayEquals(model, Files.readAllBytes(out.resolve("model/model.bin")));
    // nor by --resume, which has no checkpoint to continue from
    String[] resumed = train(out, "--resume", "--set", "train.max.rounds=3");
    assertEquals("2", resumed[0], resumed[2]);
    assertTrue(resumed[2].contains("holds a finished model but no checkpoint"), resumed[2]);
    assertArrayEquals(model, Files.readAllBytes(out.resolve("model/model.bin")));
  }

  @Test
  void evaluateAndExportNeverOverwriteAModelAndAskBeforeReplacingAFile() throws Exception {
    Path out = dir.resolve("outputs");
    assertEquals("0", train(out, "--set", "train.epochs=1")[0]);
    Path model = out.resolve("model/model.bin");
    Path checkpoint;
    try (Stream<Path> ck = Files.list(out.resolve("checkpoints"))) {
      checkpoint = ck.findFirst().orElseThrow();
    }
    byte[] modelBytes = Files.readAllBytes(model);
    byte[] checkpointBytes = Files.readAllBytes(checkpoint);
    Path json = Files.writeString(dir.resolve("mine.json"), "the user's own file\n");
    Path st = Files.writeString(dir.resolve("mine.safetensors"), "the user's own file\n");
    String m = out.resolve("model").toString();
    String[][] jobs = {
        {"evaluate", "--model", m, "--data", text.toString(), "--out"},
        {"export", "--model", m, "--out"}};
    for (String[] job : jobs) {
      Path mine = job[0].equals("evaluate") ? json : st;
      String[] r = run(with(job, mine.toString()));
      assertEquals("2", r[0], r[2]);
      assertTrue(r[2].contains("already exists; pass --overwrite"), r[2]);
      assertEquals("the user's own file\n", Files.readString(mine));
      for (Path never : new Path[] {model, checkpoint}) {
        r = run(with(job, never.toString(), "--overwrite"));
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("is a spark-lstm model or checkpoint"), r[2]);
      }
      r = run(with(job, out.resolve("model").toString(), "--overwrite"));
      assertEquals("2", r[0], r[2]);
      assertTrue(r[2].contains("is a directory"), r[2]);
      r = run(with(job, mine.toString(), "--overwrite"));
      assertEquals("0", r[0], r[2]);
      assertFalse(Arrays.equals("the user's own file\n".getBytes(), Files.readAllBytes(mine)),
          "replaced on request");
    }
    assertArrayEquals(modelBytes, Files.readAllBytes(model));
    assertArrayEquals(checkpointBytes, Files.readAllBytes(checkpoint));
    // the run directory itself as --model, and an IDX labels file for a text model
    String[] r = run("evaluate", "--model", out.toString(), "--data", text.toString());
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("is a run directory; pass " + m), r[2]);
    r = run("evaluate", "--model", m, "--data", text.toString(), "--labels", text.toString());
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("--labels is for an IDX classifier's labels file"), r[2]);
  }

  private static String[] with(String[] job, String... more) {
    String[] all = Arrays.copyOf(job, job.length + more.length);
    System.arraycopy(more, 0, all, job.length, more.length);
    return all;
  }

  // Item 5: --resume continues only with the run's data and partitions.

  @Test
  void resumingWithOtherDataAtTheSamePathIsRefusedNamingWhatChanged() throws Exception {
    Path data = Files.writeString(dir.resolve("changing.txt"), JobsTest.corpus(600));
    Path out = dir.resolve("changing");
    String[] first = train(out, "--set", "data.train=" + data, "--set", "train.epochs=1");
    assertEquals("0", first[0], first[2]);
    // Same size, same characters, other text: two lines swap places.
    List<String> lines = new ArrayList<>(Files.readAllLines(data));
    String l3 = lines.get(3);
    lines.set(3, lines.get(300));
    lines.set(300, l3);
    Files.write(data, lines);
    assertEquals(Files.size(dir.resolve("corpus.txt")), Files.size(data));
    String[] resumed = train(out, "--set", "data.train=" + data, "--set", "train.epochs=2",
        "--resume");
    assertEquals("2", resumed[0], resumed[2]);
    assertTrue(resumed[2].contains("the data changed since"), resumed[2]);
    assertTrue(resumed[2].contains("content hash "), resumed[2]);
    assertFalse(resumed[2].contains("tokens "), "the length did not change: " + resumed[2]);
    assertTrue(resumed[2].contains(data.toString()), resumed[2]);
  }

  @Test
  void aResumedRunKeepsItsPartitionCountWhateverTheDefaultParallelism() throws Exception {
    Path full = dir.resolve("parallel-full");
    Path parts = dir.resolve("parallel-parts");
    String[] auto = {"--set", "spark.partitions=0", "--set", "train.epochs=2"};
    withMaster("local[2]", () -> {
      assertEquals("0", train(full, auto)[0]);
      assertEquals("0", train(parts, "--set", "spark.partitions=0", "--set",
          "train.epochs=1")[0]);
    });
    withMaster("local[3]", () -> {
      String[] resumed = train(parts, with(auto, "--resume"));
      assertEquals("0", resumed[0], resumed[2]);
      assertSameRun(full, parts);
      String[] explicit = train(parts, "--set", "spark.partitions=3", "--set", "train.epochs=2",
          "--resume");
      assertEquals("2", explicit[0], explicit[2]);
      assertTrue(explicit[2].contains("spark.partitions = 3 but the run was trained with 2 "
          + "partitions"), explicit[2]);
    });
  }

  private static void withMaster(String master, ThrowingRunnable body) throws Exception {
    System.setProperty("spark.master", master);
    try {
      body.run();
    } finally {
      System.clearProperty("spark.master");
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  // Item 6: the run log and train.max.rounds count the whole run.

  @Test
  void aResumedRunHasTheWholeLogAndReportOfAnUndisturbedOne() throws Exception {
    Path full = dir.resolve("log-full");
    Path parts = dir.resolve("log-parts");
    assertEquals("0", train(full)[0]);
    assertEquals("0", train(parts, "--set", "train.epochs=2")[0]);
    String[] resumed = train(parts, "--resume");
    assertEquals("0", resumed[0], resumed[2]);
    assertSameRun(full, parts);
  }

  @Test
  void maxRoundsCountsTheRunsRoundsAndAResumeRewritesNoLine() throws Exception {
    Path once = dir.resolve("rounds-once");
    Path twice = dir.resolve("rounds-twice");
    String[] budget = {"--set", "train.max.rounds=9", "--set", "checkpoint.every.rounds=4"};
    assertEquals("0", train(once, budget)[0]);
    assertEquals("0", train(twice, budget)[0]);
    // 7 rounds an epoch: the last checkpoint is the first epoch's, and the run's log goes on
    // to round 9. A resume trains rounds 8 and 9 again, and only those.
    String[] resumed = train(twice, with(budget, "--resume"));
    assertEquals("0", resumed[0], resumed[2]);
    assertEquals(9, logWithoutTimings(twice).stream().filter(l -> l.contains("\"round\""))
        .count());
    assertSameRun(once, twice);
  }
}
