package io.sparklstm.cli;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkException;
import org.slf4j.LoggerFactory;

/**
 * The application's entry point: {@code Main JOB [options]} with JOB one of train, evaluate,
 * generate, export. Errors a user can fix print as one line naming the problem, with exit code
 * 2; nothing else is printed for them.
 */
public final class Main {
  private Main() {}

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
      System.err.println("usage: Main train|evaluate|generate|export [options]  (--help)");
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
      default -> {
        System.err.println("unknown job '" + name + "': expected train, evaluate, generate or "
            + "export");
        return 2;
      }
    }
    if (args.contains("--help") || args.contains("-h")) {
      System.out.println(help);
      if (name.equals("train")) {
        System.out.println("\nConfiguration keys (key = default: meaning):");
        JobKeys.ALL.values().forEach(k -> System.out.printf("  %s = %s%n      %s%n", k.name(),
            k.defaultValue(), k.doc()));
      }
      return 0;
    }
    try {
      job.run(args);
      return 0;
    } catch (CtrlC.Stopped e) {
      System.err.println(e.getMessage());
      return 130;
    } catch (Exception e) {
      if (CtrlC.exiting) {
        return 130; // a second Ctrl-C is stopping the JVM: it said so already
      }
      Throwable cause = userError(e);
      if (cause != null) {
        System.err.println("error: " + cause.getMessage());
        return 2;
      }
      // A bug, not the user's doing: one line on the console, the whole trace in the log.
      LoggerFactory.getLogger(Main.class).error("spark-lstm " + name + " failed", e);
      String log = System.getProperty("sparklstm.log.file");
      System.err.println("error: internal error in spark-lstm " + name + ": " + e
          + (log == null ? "" : " (stack trace in " + log + ")"));
      return 1;
    }
  }

  /** The user-facing cause: a configuration, argument or I/O problem, also inside a task. */
  static Throwable userError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException || t instanceof java.io.IOException
          || t instanceof io.sparklstm.spark.DivergedException) {
        return t;
      }
      if (t instanceof SparkException && t.getMessage() != null) {
        String m = t.getMessage();
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
