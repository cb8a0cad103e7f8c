package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What jobs/* hand to spark-submit (their SPARKLSTM_DRY_RUN=1 output), and the defaults the
 * application adds below it: every spark-submit option arrives unchanged and in order, nothing
 * pins loopback or replaces the cluster's spark-defaults.conf on a cluster, local runs do bind
 * to loopback.
 */
class SubmitOptionsTest {
  private static final String MAIN = "io.sparklstm.cli.Main";

  @TempDir
  static Path dir;

  /** The command jobs/train would run: SPARK_LOCAL_IP if set, Spark's and the job's args. */
  record Command(String localIp, List<String> spark, List<String> job, List<String> all) {}

  static Command dryRun(Map<String, String> env, String... args) {
    Map<String, String> e = new HashMap<>(env);
    e.put("SPARKLSTM_DRY_RUN", "1");
    for (String unset : List.of("SPARK_LOCAL_IP", "SPARK_HOME", "SPARK_CONF_DIR", "MASTER")) {
      e.putIfAbsent(unset, ""); // empty is unset to the scripts (surefire sets some of them)
    }
    JobScripts.Result r = JobScripts.run(e, Duration.ofMinutes(1), "train", args);
    assertEquals(0, r.code(), r.toString());
    List<String> lines = r.out().lines().toList();
    String localIp = lines.get(0).startsWith("SPARK_LOCAL_IP=")
        ? lines.get(0).substring("SPARK_LOCAL_IP=".length()) : null;
    int submit = lines.indexOf("org.apache.spark.deploy.SparkSubmit");
    int cls = lines.lastIndexOf("--class");
    assertTrue(submit > 0 && cls > submit, "a SparkSubmit command: " + r);
    assertEquals(MAIN, lines.get(cls + 1));
    assertEquals("train", lines.get(cls + 3), "the application jar, then the job");
    return new Command(localIp, lines.subList(submit + 1, cls), lines.subList(cls + 4,
        lines.size()), lines);
  }

  /** Spark 4.0.1's own option table (SparkSubmitOptionParser.opts or .switches). */
  static String[][] sparkOptions(String table) throws ReflectiveOperationException {
    Class<?> c = Class.forName("org.apache.spark.launcher.SparkSubmitOptionParser");
    Constructor<?> k = c.getDeclaredConstructor();
    k.setAccessible(true);
    Field f = c.getDeclaredField(table);
    f.setAccessible(true);
    return (String[][]) f.get(k.newInstance());
  }

  /** The job's arguments that the command line interleaves with Spark's. */
  private static final List<String> JOB_ARGS = List.of("--out", "runs/x", "--set",
      "train.epochs=1", "--resume", "--set", "model.hidden=8");

  @Test
  void everySparkSubmitOptionArrivesUnchangedAndInOrder() throws Exception {
    List<String> user = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int i = 0;
    for (String[] aliases : sparkOptions("opts")) {
      for (String name : aliases) {
        if (name.equals("--class")) {
          continue; // the jobs run their own main class; refused below
        }
        names.add(name);
        String value = switch (name) {
          case "--conf", "-c" -> "spark.test.k" + i + "=a b=" + i;
          case "--master" -> "spark://10.9.8.7:7077";
          default -> "value " + i + ",x=y";
        };
        List<String> given = i % 2 == 0 || name.equals("-c") ? List.of(name, value)
            : List.of(name + "=" + value);
        user.addAll(given);
        expected.addAll(given);
        if (i < JOB_ARGS.size()) {
          user.add(JOB_ARGS.get(i)); // job options between Spark's go to the job, in order
        }
        i++;
      }
    }
    for (String[] aliases : sparkOptions("switches")) {
      for (String name : aliases) {
        if (!name.equals("--help") && !name.equals("-h")) { // the job's help
          names.add(name);
          user.add(name);
          expected.add(name);
        }
      }
    }
    assertTrue(names.containsAll(List.of("--properties-file", "--driver-cores", "--files",
        "--jars", "--packages", "--keytab", "--principal", "--load-spark-defaults")),
        "the option tables are Spark's: " + names);
    Command c = dryRun(Map.of(), user.toArray(String[]::new));
    assertEquals(expected, c.spark(), "the user's Spark options and nothing else");
    assertEquals(JOB_ARGS, c.job());
    assertEquals(null, c.localIp(), "a spark:// master gets no loopback");
  }

  @Test
  void aClusterGetsNoPropertiesFileNoMasterAndNoLoopback() throws Exception {
    Path conf = Files.writeString(dir.resolve("job.conf"), "model.hidden = 8\n");
    Command c = dryRun(Map.of(), "--master", "spark://10.9.8.7:7077", "--conf",
        conf.toString(), "--out", "o");
    assertClusterCommand(c, "--master", "spark://10.9.8.7:7077");
    assertEquals(List.of("--conf", conf.toString(), "--out", "o"), c.job());

    // The master from the cluster's spark-defaults.conf, from $MASTER, or from a properties
    // file: the script adds nothing, so spark-submit reads them.
    Path home = dir.resolve("sparkhome");
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf/spark-defaults.conf"),
        "spark.master   spark://10.9.8.7:7077\n");
    Path props = Files.writeString(dir.resolve("my.properties"),
        "spark.master=spark://10.9.8.6:7077\n");
    assertClusterCommand(dryRun(Map.of("SPARK_HOME", home.toString()), "--out", "o"));
    assertClusterCommand(dryRun(Map.of("MASTER", "spark://10.9.8.7:7077"), "--out", "o"));
    assertClusterCommand(dryRun(Map.of(), "--properties-file", props.toString(), "--out", "o"),
        "--properties-file", props.toString());
    assertClusterCommand(dryRun(Map.of(), "--conf=spark.master=yarn", "--out", "o"),
        "--conf=spark.master=yarn");
  }

  /** Spark gets exactly the user's options, and nothing in the command pins loopback. */
  private static void assertClusterCommand(Command c, String... userSparkArgs) {
    assertEquals(List.of(userSparkArgs), c.spark(), "nothing added for a cluster");
    assertEquals(null, c.localIp(), "no SPARK_LOCAL_IP for a cluster");
    for (String a : c.all()) {
      assertFalse(a.contains("127.0.0.1") || a.contains("spark.driver.host")
          || a.contains("spark.driver.bindAddress"), "a loopback setting: " + a);
    }
  }

  @Test
  void localMastersBindToLoopback() throws Exception {
    Path home = dir.resolve("sparkhome-local");
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf/spark-defaults.conf"), "spark.master local[2]\n");
    Path props = Files.writeString(dir.resolve("cluster.properties"),
        "spark.master spark://10.9.8.7:7077\n");
    for (Command c : List.of(dryRun(Map.of(), "--out", "o"),
        dryRun(Map.of(), "--master", "local[2]", "--out", "o"),
        dryRun(Map.of(), "--master=local-cluster[2,1,1024]", "--out", "o"),
        dryRun(Map.of(), "--conf", "spark.master=local[3]", "--out", "o"),
        dryRun(Map.of("SPARK_HOME", home.toString()), "--out", "o"),
        // --master wins over the properties file, as in spark-submit
        dryRun(Map.of(), "--properties-file", props.toString(), "--master", "local", "--out",
            "o"))) {
      assertEquals("127.0.0.1", c.localIp(), c.spark().toString());
    }
    // the cluster's defaults file is not read when --properties-file replaces it
    assertEquals(null, dryRun(Map.of("SPARK_HOME", home.toString()), "--properties-file",
        props.toString(), "--out", "o").localIp());
  }

  @Test
  void confGoesToSparkForKeyValuesAndToTheJobForFiles() throws Exception {
    Path file = Files.writeString(dir.resolve("a=b.conf"), "model.hidden = 8\n");
    Command c = dryRun(Map.of(), "--conf", file.toString(), "--conf", "spark.x=1",
        "--conf=other.key=2", "-c", "spark.y=3", "--conf=" + file, "-c", file.toString(),
        "--conf", "missing.conf");
    assertEquals(List.of("--conf", "spark.x=1", "--conf=other.key=2", "-c", "spark.y=3"),
        c.spark());
    assertEquals(List.of("--conf", file.toString(), "--conf", file.toString(), "--conf",
        file.toString(), "--conf", "missing.conf"), c.job());
  }

  @Test
  void classAndMissingValuesAreRefused() {
    Map<String, String> dry = Map.of("SPARKLSTM_DRY_RUN", "1");
    JobScripts.assertUserError(JobScripts.run(dry, Duration.ofMinutes(1), "train", "--class",
        "x.Y", "--out", "o"), "--class", "own main class");
    JobScripts.assertUserError(JobScripts.run(dry, Duration.ofMinutes(1), "train", "--out", "o",
        "--jars"), "option --jars needs a value");
  }

  @Test
  void aJobKeyGivenToSparkAsConfIsRefusedNamingSet() {
    Map<String, String> dry = Map.of("SPARKLSTM_DRY_RUN", "1");
    for (String kv : List.of("train.epochs=2", "spark.partitions=3", "task=classification")) {
      JobScripts.assertUserError(JobScripts.run(dry, Duration.ofMinutes(1), "train", "--conf",
          kv, "--out", "o"), "--conf " + kv, "use --set " + kv);
    }
  }

  @Test
  void theApplicationsDefaultsSitBelowEverythingAndPinLoopbackOnlyLocally() {
    SparkConf cluster = Main.withDefaults(new SparkConf(false)
        .setMaster("spark://10.9.8.7:7077").set("spark.app.name", MAIN), "train");
    assertFalse(cluster.contains("spark.driver.host"));
    assertFalse(cluster.contains("spark.driver.bindAddress"));
    assertEquals("spark-lstm train", cluster.get("spark.app.name"));
    assertEquals("1", cluster.get("spark.executorEnv.OMP_NUM_THREADS"));
    assertEquals("false", cluster.get("spark.ui.showConsoleProgress"));
    assertEquals("io.sparklstm.spark.ExecutorLossReporter", cluster.get("spark.extraListeners"));

    for (String master : new String[] {null, "local[2]", "local-cluster[2,1,1024]"}) {
      SparkConf local = new SparkConf(false);
      if (master != null) {
        local.setMaster(master);
      }
      Main.withDefaults(local, "evaluate");
      assertEquals(master == null ? "local[*]" : master, local.get("spark.master"));
      assertEquals("127.0.0.1", local.get("spark.driver.host"), master);
      assertEquals("spark-lstm evaluate", local.get("spark.app.name"));
    }

    SparkConf user = Main.withDefaults(new SparkConf(false).setMaster("local[2]")
        .setAppName("mine").set("spark.driver.host", "10.9.8.5")
        .set("spark.executorEnv.OMP_NUM_THREADS", "4").set("spark.ui.showConsoleProgress", "true")
        .set("spark.extraListeners", "a.B"), "train");
    assertEquals("mine", user.get("spark.app.name"));
    assertEquals("10.9.8.5", user.get("spark.driver.host"));
    assertEquals("4", user.get("spark.executorEnv.OMP_NUM_THREADS"));
    assertEquals("true", user.get("spark.ui.showConsoleProgress"));
    assertEquals("a.B,io.sparklstm.spark.ExecutorLossReporter",
        user.get("spark.extraListeners"));
  }
}
