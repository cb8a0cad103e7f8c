package io.sparklstm.cli;

import static io.sparklstm.cli.JobScripts.assertUserError;
import static io.sparklstm.cli.RunLifecycleTest.assertSameRun;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.io.SavedModel;
import io.sparklstm.io.TmpFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs disturbed as users disturb them, through the real jobs/train script: a second job into
 * the same run, Ctrl-C, kill -9 of the driver, a full disk, an --out that cannot be written.
 * Each ends with one clear line (or the resume command), and a resumed run equals an
 * undisturbed one: model byte for byte, metrics.jsonl and report.html but for timings.
 */
class RunFaultsTest {
  @TempDir
  static Path dir;
  static Path conf;
  static Path undisturbed;

  @BeforeAll
  static void undisturbedRun() throws Exception {
    Path text = Files.writeString(dir.resolve("corpus.txt"), JobsTest.corpus(600));
    conf = JobsTest.tinyConf(dir, text);
    undisturbed = dir.resolve("undisturbed");
    JobScripts.Result r = JobScripts.run("train", train(undisturbed));
    assertEquals(0, r.code(), r.toString());
  }

  /** jobs/train's arguments for the runs here: 2 epochs of 7 rounds, a checkpoint every 3. */
  static String[] train(Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("--master", "local[2]", "--conf",
        conf.toString(), "--out", out.toString(), "--set", "train.epochs=2", "--set",
        "checkpoint.every.rounds=3", "--set", "model.hidden=32"));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  static JobScripts.Running start(Path out, Map<String, String> env, String... more) {
    return JobScripts.background(env, "train", train(out, more));
  }

  /** A run into {@code out} whose driver gets {@code signal} once it has logged some rounds. */
  static JobScripts.Result signalledAfter(Path out, int rounds, String signal) {
    // Each write (a round's log flush, a checkpoint) pauses 200 ms, so that the signal lands
    // while the job runs: on a quiet machine the whole run once ended before it arrived.
    JobScripts.Running job = start(out, Map.of("SPARKLSTM_TEST_WRITE_PAUSE_MS", "200"));
    JobScripts.waitFor(rounds + " logged rounds", () -> roundsLogged(out) >= rounds);
    job.signalDriver(signal);
    return job.await(Duration.ofMinutes(5));
  }

  static long roundsLogged(Path out) {
    try {
      return Files.readAllLines(out.resolve("metrics.jsonl")).stream()
          .filter(l -> l.contains("\"type\":\"round\"")).count();
    } catch (java.io.IOException e) {
      return 0; // not written yet
    }
  }

  static JobScripts.Result resume(Path out) {
    return JobScripts.run("train", train(out, "--resume"));
  }

  @Test
  void aSecondJobIntoTheSameRunIsRefusedWhileTheFirstGoesOn() throws Exception {
    Path out = dir.resolve("busy");
    // The second starts while the first is in its first epoch: no checkpoint before its end, and
    // slow writes (the test hook pauses each for a second).
    String[] noCheckpoint = {"--set", "checkpoint.every.rounds=0"};
    JobScripts.Running first = start(out, Map.of("SPARKLSTM_TEST_WRITE_PAUSE_MS", "500"),
        noCheckpoint);
    long pid = first.driver().pid();
    // The second starts once the first holds the run (a loaded machine may take seconds to get
    // its JVM that far); which of two simultaneous starts wins is RunLockTest's concern.
    JobScripts.waitFor("the first job's lock", () -> Files.exists(out.resolve(".lock")));
    assertUserError(JobScripts.run("train", train(out, noCheckpoint)), out + " is in use by "
        + "another training job: pid " + pid + " on host ", " since ");
    assertTrue(first.process().isAlive(), "the first job was still running");
    assertEquals(0, first.await(Duration.ofMinutes(5)).code());
    assertEquals(RunLifecycleTest.logWithoutTimings(undisturbed),
        RunLifecycleTest.logWithoutTimings(out));
    assertArrayEquals(JobsTest.params(undisturbed.resolve("model/model.bin")),
        JobsTest.params(out.resolve("model/model.bin")));
  }

  @Test
  void ctrlCStopsAtARoundBoundaryWithACheckpointAndSaysHowToResume() throws Exception {
    Path out = dir.resolve("ctrl-c");
    JobScripts.Result r = signalledAfter(out, 1, "INT");
    assertEquals(130, r.code(), r.toString());
    List<String> lines = r.errorLines();
    assertEquals(1, lines.size(), r.toString());
    String line = lines.get(0);
    assertTrue(line.matches("interrupted: stopped after epoch 1, round \\d+/\\d+ with checkpoint "
        + ".*; resume with: .*jobs/train .* --resume"), line);
    assertFalse(r.out().contains("Exception") || r.err().contains("Exception"), r.toString());
    String checkpoint = line.replaceAll(".* with checkpoint (\\S+);.*", "$1");
    SavedModel.read(checkpoint, new Configuration());
    assertEquals(0, resume(out).code());
    assertSameRun(undisturbed, out);
  }

  @Test
  void aDriverKilledBetweenCheckpointsResumesToTheUndisturbedModelAndLog() throws Exception {
    Path out = dir.resolve("killed");
    // Rounds 4 and 5 are logged, the last checkpoint is round 3's.
    signalledAfter(out, 5, "KILL");
    JobScripts.Result r = resume(out);
    assertEquals(0, r.code(), r.toString());
    assertSameRun(undisturbed, out);
    assertTrue(r.out().contains("Took over the lock of " + out + " from a job that is gone (its "
        + "process"), "the killed driver's lock is stale at once:\n" + r.out());
  }

  @Test
  void aFullDiskStopsWithOneLineLeavesTheLastCheckpointAndTheRunResumes() throws Exception {
    List<Long> sizes = new ArrayList<>();
    try (Stream<Path> ck = Files.list(undisturbed.resolve("checkpoints")).sorted()) {
      ck.forEach(p -> sizes.add(p.toFile().length()));
    }
    // Room for two checkpoints and the small files, not for a third checkpoint.
    long room = sizes.get(0) + sizes.get(1) + 64 * 1024;
    assertTrue(sizes.get(2) > 64 * 1024, "checkpoints are larger than the spare room");
    try (TmpFs disk = TmpFs.mount(dir.resolve("disk"), room / 1024 + "k", false)) {
      Path out = disk.dir().resolve("run");
      JobScripts.Result r = JobScripts.run("train", train(out));
      assertUserError(r, "cannot write " + out + "/", ": no space left on device; the last "
          + "checkpoint is " + out + "/checkpoints/", "resume with: ");
      try (Stream<Path> ck = Files.list(out.resolve("checkpoints"))) {
        List<Path> left = ck.toList();
        assertEquals(2, left.size(), left.toString());
        for (Path p : left) {
          SavedModel.read(p.toString(), new Configuration()); // intact
        }
      }
      disk.resize("64m");
      assertEquals(0, resume(out).code());
      assertSameRun(undisturbed, out);
    }
  }

  @Test
  void anOutThatCannotBeWrittenIsReportedBeforeTheDataIsRead() throws Exception {
    // Data that would fail when read: the --out problem has to be found first.
    Path bad = Files.write(dir.resolve("bad.txt"), new byte[] {'o', 'k', '\n', (byte) 0xC3,
        (byte) 0x28, '\n'});
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    assertUserError(JobScripts.run("train", train(file, "--set", "data.train=" + bad)),
        "--out " + file + " cannot be written: " + file + " exists and is not a directory");
    if (TmpFs.isRoot()) {
      try (TmpFs readOnly = TmpFs.mount(dir.resolve("ro"), "1m", true)) {
        Path out = readOnly.dir().resolve("run");
        assertUserError(JobScripts.run("train", train(out, "--set", "data.train=" + bad)),
            "--out " + out + " cannot be written: " + out + ": Read-only file system");
      }
    } else {
      Path locked = Files.createDirectories(dir.resolve("locked"));
      assertTrue(locked.toFile().setWritable(false, false));
      Path out = locked.resolve("run");
      assertUserError(JobScripts.run("train", train(out, "--set", "data.train=" + bad)),
          "--out " + out + " cannot be written: " + out + ": permission denied");
    }
  }
}
