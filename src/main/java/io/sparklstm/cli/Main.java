package io.sparklstm.cli;

import io.sparklstm.ml.param.Settings;
import io.sparklstm.spark.ExecutorLossReporter;
import io.sparklstm.spark.MemoryBudget;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.slf4j.LoggerFactory;

/**
 * The application's entry point: {@code Main JOB [options]} with JOB one of train, evaluate,
 * generate, export. Errors a user can fix print as one line naming the problem, with exit code
 * 2; nothing else is printed for them.
 */
public final class Main {
  private Main() {}

  /** The master URLs Spark accepts (jobs/lib.sh checks --master against the same forms). */
  static final String MASTER_FORMS = "local, local[N], local[*], local[N,F], "
      + "local-cluster[N,C,MB], spark://HOST:PORT, yarn or k8s://HOST:PORT";

  /** A job's Spark configuration: what spark-submit passed, then the jobs' own defaults. */
  static SparkConf sparkConf(String job) {
    return withDefaults(new SparkConf(), job);
  }

  /**
   * Adds the jobs' Spark defaults where nothing (spark-submit's command line, a
   * --properties-file, $SPARK_HOME/conf/spark-defaults.conf) set them. Nothing here pins an
   * address on a cluster.
   */
  static SparkConf withDefaults(SparkConf c, String job) {
    // spark-submit names an application it was given no --name for after its main class.
    if (c.get("spark.app.name", Main.class.getName()).equals(Main.class.getName())) {
      c.setAppName("spark-lstm " + job);
    }
    c.setIfMissing("spark.master", "local[*]")
        // OpenMP would start a thread per core in every executor; each task sets its BLAS
        // threads to spark.task.cpus.
        .setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1")
        .setIfMissing("spark.ui.showConsoleProgress", "false"); // the jobs print their progress
    String master = c.get("spark.master");
    if (master.matches("local(\\[.*)?")) {
      // A task that runs out of memory fails its job, which then says so in one line, instead
      // of Spark ending the whole driver JVM (exit code 52) before the job can say anything.
      c.setIfMissing("spark.executor.killOnFatalError.depth", "0");
    }
    if (master.startsWith("local")) {
      // Local and local-cluster runs stay on this machine's loopback (its hostname may resolve
      // elsewhere); spark.driver.bindAddress follows spark.driver.host.
      c.setIfMissing("spark.driver.host", "127.0.0.1");
    }
    String listeners = c.get("spark.extraListeners", "");
    c.set("spark.extraListeners", (listeners.isBlank() ? "" : listeners + ",")
        + ExecutorLossReporter.class.getName());
    return c;
  }

  /** A job's runner. */
  @FunctionalInterface
  interface Job {
    void run(List<String> args) throws Exception;
  }

  public static void main(String[] argv) {
    int code = run(argv);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs a job; returns the exit code: 0, 2 after printing a user error, or 130 after a Ctrl-C
   * stopped training (the line says where and how to resume).
   */
  public static int run(String... argv) {
    if (argv.length == 0) {
      System.err.println("usage: Main train|evaluate|generate|export|translate|bench-classify "
          + "[options]  (--help)");
      return 2;
    }
    String name = argv[0];
    List<String> args = Arrays.asList(argv).subList(1, argv.length);
    String help;
    Job job;
    switch (name) {
      case "train" -> { help = TrainJob.HELP; job = TrainJob::run; }
      case "evaluate" -> { help = EvaluateJob.HELP; job = EvaluateJob::run; }
      case "generate" -> { help = GenerateJob.HELP; job = GenerateJob::run; }
      case "export" -> { help = ExportJob.HELP; job = ExportJob::run; }
      case "translate" -> { help = TranslateJob.HELP; job = TranslateJob::run; }
      case "bench-classify" -> { help = BenchClassifyJob.HELP; job = BenchClassifyJob::run; }
      default -> {
        System.err.println("unknown job '" + name + "': expected train, evaluate, generate, "
            + "export, translate or bench-classify");
        return 2;
      }
    }
    if (args.contains("--help") || args.contains("-h")) {
      System.out.println(help);
      if (name.equals("train")) {
        System.out.println("\nConfiguration keys (key = default: meaning):");
        Settings.ALL.stream().filter(k -> k.confKey() != null).forEach(k -> System.out.printf(
            "  %s = %s%n      %s%n", k.confKey(), k.defaultText(), k.doc()));
      }
      return 0;
    }
    try {
      job.run(args);
      return 0;
    } catch (CtrlC.Stopped e) {
      System.err.println(e.getMessage());
      return 130;
    } catch (Exception | OutOfMemoryError e) {
      if (CtrlC.exiting) {
        return 130; // a second Ctrl-C is stopping the JVM: it said so already
      }
      Throwable cause = userError(e);
      if (cause != null) {
        if (e instanceof OutOfMemoryError) {
          LoggerFactory.getLogger(Main.class).error("spark-lstm " + name + " ran out of memory", e);
        }
        // One line, also for messages (Spark's) that run over several.
        System.err.println("error: " + oneLine(cause.getMessage()));
        return 2;
      }
      // A bug, not the user's doing: one line on the console, the whole trace in the log.
      LoggerFactory.getLogger(Main.class).error("spark-lstm " + name + " failed", e);
      String log = System.getProperty("sparklstm.log.file");
      System.err.println("error: internal error in spark-lstm " + name + ": "
          + e.toString().lines().findFirst().orElse("") + (log == null ? ""
          : " (stack trace in " + log + ")"));
      return 1;
    }
  }

  private static String oneLine(String message) {
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /**
   * Running out of memory, which the checks before allocating did not foresee (they count the
   * main buffers only): what to change.
   */
  private static IllegalArgumentException outOfMemory(String what) {
    return new IllegalArgumentException("out of memory (" + what + "); lower model.hidden, "
        + "model.layers, train.batch or train.window (generate: --length), or "
        + MemoryBudget.RAISE);
  }

  /**
   * The user-facing cause: a configuration, argument or I/O problem, or a lack of memory, also
   * inside a task.
   */
  static Throwable userError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return outOfMemory(t.getMessage());
      }
      if (t instanceof IllegalArgumentException || t instanceof java.io.IOException
          || t instanceof io.sparklstm.spark.DivergedException) {
        return t;
      }
      if (t instanceof SparkException && t.getMessage() != null) {
        String m = t.getMessage();
        if (m.startsWith("Could not parse Master URL: ")) {
          return new IllegalArgumentException("--master "
              + m.substring("Could not parse Master URL: ".length()) + " is not a Spark master; "
              + "expected " + MASTER_FORMS);
        }
        int oom = m.indexOf("OutOfMemoryError: ");
        if (oom >= 0) {
          return outOfMemory(m.substring(oom + "OutOfMemoryError: ".length()).lines()
              .findFirst().orElse("") + " in a Spark task");
        }
        for (String marker : new String[] {"IllegalArgumentException: ", "IOException: "}) {
          int i = m.indexOf(marker);
          if (i >= 0) {
            String rest = m.substring(i + marker.length());
            int nl = rest.indexOf('\n');
            return new IllegalArgumentException(nl < 0 ? rest : rest.substring(0, nl));
          }
        }
      }
    }
    return null;
  }
}
