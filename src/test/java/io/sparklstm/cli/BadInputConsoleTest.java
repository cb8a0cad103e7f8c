package io.sparklstm.cli;

import static io.sparklstm.cli.JobScripts.assertUserError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failures that used to end in a stack trace, through the real scripts as a user meets
 * them: each is exit code 2, one line naming what to change, no exception on the console and
 * nothing written. And every script in jobs/ answers --help with its usage and does nothing
 * else.
 */
class BadInputConsoleTest {
  @TempDir
  Path dir;

  private Path conf() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      text.append("the white whale swam past the ship ").append(i).append('\n');
    }
    Path data = Files.writeString(dir.resolve("text.txt"), text);
    return Files.writeString(dir.resolve("lm.conf"), "data.train = " + data + "\n"
        + "spark.partitions = 1\n");
  }

  @Test
  void aModelTooLargeForMemoryFailsBeforeAllocating() throws Exception {
    Path out = dir.resolve("out");
    long start = System.nanoTime();
    JobScripts.Result r = JobScripts.run("train", "--conf", conf().toString(), "--out",
        out.toString(), "--set", "model.hidden=8000");
    assertUserError(r, "the model does not fit", "model.hidden = 8000", "model.layers = 2",
        "train.batch = 32 x train.window = 100", "this JVM has", "--driver-memory",
        "spark.executor.memory");
    assertTrue(System.nanoTime() - start < 60e9, "found before minutes of allocating");
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void aSampleTooLongForMemoryFailsBeforeAllocating() throws Exception {
    Path model = SamplingOptionsTest.writeModel(dir);
    JobScripts.Result r = JobScripts.run("generate", "--model", model.toString(), "--prime",
        "ab", "--length", "2000000000");
    assertUserError(r, "--length 2000000000 is too long", "--driver-memory");
    assertEquals("", r.out(), "no partial output");
  }

  @Test
  void aMistypedMasterIsOneLineNamingTheAcceptedForms() throws Exception {
    for (String master : new String[] {"lokal[2]", "spark//host:7077", "local[x]"}) {
      Path out = dir.resolve("m" + master.length());
      JobScripts.Result r = JobScripts.run("train", "--master", master, "--conf",
          conf().toString(), "--out", out.toString());
      assertUserError(r, "--master '" + master + "' is not a Spark master", "local[N]",
          "spark://HOST:PORT", "yarn");
      assertFalse(Files.exists(out), "nothing written");
    }
  }

  /**
   * An OutOfMemoryError that the checks before allocating did not foresee, in the driver or in a
   * task (which Spark reports as text), reads as one line saying what to change; and in local
   * mode such a task fails its job instead of Spark ending the driver's JVM before it can speak.
   * (A real one, e.g. JAVA_OPTS=-Xmx500m and model.hidden=700, takes a minute to provoke.)
   */
  @Test
  void runningOutOfMemoryAnywayIsOneLineWithWhatToChange() {
    String expected = "out of memory (Java heap space%s); lower model.hidden, model.layers, "
        + "train.batch or train.window (generate: --length), or give the job more memory: "
        + "--driver-memory";
    assertTrue(Main.userError(new OutOfMemoryError("Java heap space")).getMessage()
        .startsWith(String.format(expected, "")));
    Exception inTask = new org.apache.spark.SparkException("Job aborted due to stage failure: "
        + "Task 0 in stage 6.0 failed 1 times, most recent failure: Lost task 0.0 (TID 5): "
        + "java.lang.OutOfMemoryError: Java heap space\n\tat java.nio.HeapByteBuffer.<init>");
    assertTrue(Main.userError(new IllegalStateException(inTask)).getMessage()
        .startsWith(String.format(expected, " in a Spark task")));
    assertEquals("0", Main.sparkConf("train").get("spark.executor.killOnFatalError.depth"));
    System.setProperty("spark.master", "spark://127.0.0.1:7077");
    try {
      assertFalse(Main.sparkConf("train").contains("spark.executor.killOnFatalError.depth"));
    } finally {
      System.clearProperty("spark.master");
    }
  }

  /** A master set where the scripts do not look (spark-defaults, spark-submit) fails in Spark. */
  @Test
  void aMasterSparkCannotParseIsAUserError() throws Exception {
    System.setProperty("spark.master", "local[x]");
    try {
      String[] r = JobsTest.run("evaluate", "--model", "m", "--data", "d");
      assertEquals("2", r[0], r[2]);
      assertEquals("error: --master 'local[x]' is not a Spark master; expected local, local[N],"
          + " local[*], local[N,F], local-cluster[N,C,MB], spark://HOST:PORT, yarn or "
          + "k8s://HOST:PORT", JobsTest.errorLine(r));
    } finally {
      System.clearProperty("spark.master");
    }
  }

  @Test
  void anOptionWithoutItsValueIsOneLine() throws Exception {
    String c = conf().toString();
    String out = dir.resolve("out").toString();
    assertUserError(JobScripts.run("train", "--conf", c, "--out"),
        "option --out needs a value");
    assertUserError(JobScripts.run("train", "--conf", c, "--out", out, "--master"),
        "option --master needs a value");
    assertUserError(JobScripts.run("train", "--out", out, "--conf"),
        "option --conf needs a value");
    assertUserError(JobScripts.run("evaluate", "--model", out, "--driver-memory"),
        "option --driver-memory needs a value");
    assertFalse(Files.exists(Path.of(out)), "nothing written");
  }

  /** Without the npm registry (here: nothing listens on 127.0.0.1:9), fetch-data says so. */
  @Test
  void fetchingDataWithoutNetworkIsOneLine() throws Exception {
    Path root = dir.resolve("project");
    Files.createDirectories(root.resolve("jobs"));
    for (String f : new String[] {"fetch-data", "lib.sh"}) {
      Files.copy(JobScripts.ROOT.resolve("jobs").resolve(f), root.resolve("jobs").resolve(f),
          StandardCopyOption.COPY_ATTRIBUTES);
    }
    JobScripts.Result r = JobScripts.runIn(root, Map.of("npm_config_registry",
        "http://127.0.0.1:9/", "npm_config_fetch_retries", "0"), Duration.ofMinutes(2),
        "fetch-data", "moby-dick");
    assertUserError(r, "could not fetch Moby-Dick with npm", "ECONNREFUSED 127.0.0.1:9",
        "network access to the npm registry", "data/moby-dick.txt");
    assertFalse(Files.exists(root.resolve("data")), "nothing written");
  }

  /**
   * Every executable in jobs/ (listed, so that a new script without --help fails here): exit 0,
   * its usage on standard output, nothing on standard error (no build), and no file created or
   * changed: in the project, in the log folder (Spark logs the moment it starts) or in TMPDIR
   * (where the test and benchmark scripts make their work folders).
   */
  @Test
  void everyScriptAnswersHelpWithoutSideEffects() throws Exception {
    List<Path> scripts;
    try (Stream<Path> s = Files.list(JobScripts.ROOT.resolve("jobs"))) {
      scripts = s.filter(Files::isExecutable).sorted().toList();
    }
    assertTrue(scripts.size() >= 12, scripts.toString());
    Path logs = Files.createDirectory(dir.resolve("logs"));
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    JobScripts.run("train", "--help"); // builds the application first, if needed
    for (Path script : scripts) {
      String name = script.getFileName().toString();
      Map<String, String> before = tree(JobScripts.ROOT);
      JobScripts.Result r = JobScripts.run(Map.of("SPARKLSTM_LOG_DIR", logs.toString(),
          "TMPDIR", tmp.toString()), Duration.ofSeconds(60), name, "--help");
      assertEquals(0, r.code(), name + ": " + r);
      assertTrue(r.out().contains("jobs/" + name) || r.out().contains("Usage"), name + ": " + r);
      assertEquals(List.of(), r.errorLines(), name + ": nothing on standard error");
      assertEquals(before, tree(JobScripts.ROOT), name + ": no file created or changed");
      assertEquals(Map.of(), tree(logs), name + ": no log, so Spark did not start");
      assertEquals(Map.of(), tree(tmp), name + ": no work folder");
    }
  }

  /** Every file under {@code root} (but .git) with its size and modification time. */
  private static Map<String, String> tree(Path root) {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      all.filter(p -> !root.relativize(p).startsWith(".git")
              && !root.relativize(p).startsWith("target/surefire-reports"))
          .forEach(p -> files.put(root.relativize(p).toString(), p.toFile().length() + " "
              + p.toFile().lastModified()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.remove("");
    return files;
  }
}
