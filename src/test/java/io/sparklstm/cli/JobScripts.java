package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code jobs/} scripts run as a user runs them, in a child process through spark-submit,
 * with what they print on the console captured: the only way to see what a user sees (Spark's
 * logging, JVM notices, stack traces). Spark's log files go to a temporary folder. The first
 * call builds the application if the sources changed (the scripts do that themselves), outside
 * any assertion.
 */
final class JobScripts {
  /** Where the scripts are: the project root, Maven's working directory for tests. */
  static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path LOGS = temporaryFolder();
  private static boolean built;

  private JobScripts() {}

  /** A finished script: exit code and the two console streams. */
  record Result(int code, String out, String err) {
    /** The lines of standard error that are not blank. */
    List<String> errorLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Runs {@code jobs/SCRIPT ARGS...} with a 5-minute limit. */
  static Result run(String script, String... args) {
    return run(Map.of(), Duration.ofMinutes(5), script, args);
  }

  /** Runs {@code jobs/SCRIPT ARGS...} with extra environment variables and a time limit. */
  static Result run(Map<String, String> env, Duration limit, String script, String... args) {
    return background(env, script, args).await(limit);
  }

  /** Runs {@code ROOT/jobs/SCRIPT ARGS...} of a copy of (some of) the scripts elsewhere. */
  static Result runIn(Path root, Map<String, String> env, Duration limit, String script,
      String... args) {
    return start(root, env, script, args).await(limit);
  }

  /** Starts {@code jobs/SCRIPT ARGS...} and returns at once (builds first, as run does). */
  static synchronized Running background(Map<String, String> env, String script,
      String... args) {
    if (!built) {
      built = true;
      Result help = start(ROOT, Map.of(), "train", "--help").await(Duration.ofMinutes(10));
      assertEquals(0, help.code(), "building the application: " + help);
    }
    return start(ROOT, env, script, args);
  }

  private static Running start(Path root, Map<String, String> env, String script,
      String... args) {
    List<String> command = new ArrayList<>(List.of(root.resolve("jobs").resolve(script)
        .toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
    pb.environment().put("SPARKLSTM_LOG_DIR", LOGS.toString());
    pb.environment().put("JAVA_OPTS", "-Xmx1g");
    pb.environment().putAll(env);
    try {
      Path out = Files.createTempFile(LOGS, "stdout", ".txt");
      Path err = Files.createTempFile(LOGS, "stderr", ".txt");
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      return new Running(p, "jobs/" + script + " " + String.join(" ", args), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A script running in the background, with the files its console goes to. */
  record Running(Process process, String command, Path out, Path err) {
    /** The driver: the script's java descendant (waits for it to start). */
    ProcessHandle driver() {
      for (int i = 0; i < 6000; i++) {
        var java = process.descendants().filter(d -> d.info().command()
            .map(c -> c.endsWith("/java")).orElse(false)).findFirst();
        if (java.isPresent()) {
          return java.get();
        }
        assertTrue(process.isAlive(), command + " ended before its driver started");
        sleep(10);
      }
      throw new AssertionError(command + ": no driver JVM after a minute");
    }

    /** Sends SIGINT (Ctrl-C) or SIGKILL to the driver. */
    void signalDriver(String signal) {
      try {
        int code = new ProcessBuilder("kill", "-" + signal, String.valueOf(driver().pid()))
            .inheritIO().start().waitFor();
        assertEquals(0, code, "kill -" + signal);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    Result await(Duration limit) {
      try {
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          fail(command + " did not finish within " + limit + ":\n" + Files.readString(err));
        }
        // The script's stderr filter may still be writing after the script exits.
        process.descendants().forEach(d -> d.onExit().join());
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Waits until {@code condition} holds, up to five minutes. */
  static void waitFor(String what, java.util.function.BooleanSupplier condition) {
    for (long end = System.nanoTime() + Duration.ofMinutes(5).toNanos(); !condition
        .getAsBoolean(); ) {
      assertTrue(System.nanoTime() < end, "waited five minutes for " + what);
      sleep(20);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A user's mistake, reported as the brief asks: exit code 2, one line on standard error that
   * starts with {@code error: } and contains every fragment, and no exception or stack trace on
   * either stream.
   */
  static void assertUserError(Result r, String... fragments) {
    assertEquals(2, r.code(), r.toString());
    List<String> lines = r.errorLines();
    assertEquals(1, lines.size(), "exactly one line on standard error:\n" + r);
    assertTrue(lines.get(0).startsWith("error: "), r.toString());
    for (String f : fragments) {
      assertTrue(lines.get(0).contains(f), "'" + f + "' in the error line:\n" + r);
    }
    for (String console : new String[] {r.out(), r.err()}) {
      assertFalse(console.contains("Exception") || console.contains("\tat "),
          "no exception or stack trace on the console:\n" + r);
    }
  }

  private static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary folder
    }
  }

  private static Path temporaryFolder() {
    try {
      Path dir = Files.createTempDirectory("spark-lstm-job-logs");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
