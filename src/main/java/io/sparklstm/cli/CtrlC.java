package io.sparklstm.cli;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) during training: the first one asks the job to stop at the next round
 * boundary with a checkpoint; a second one, or one before training has started, stops at once.
 * The job's handler replaces the JVM's for as long as the job runs: the JVM's would start the
 * shutdown, whose Spark hook stops the SparkContext before a checkpoint could be written.
 */
final class CtrlC implements AutoCloseable {
  private static final Signal INT = new Signal("INT");
  /** Set when a Ctrl-C stops the JVM: the failures that follow are not worth a line. */
  static volatile boolean exiting;

  private final String resumeCommand;
  private final SignalHandler previous;
  private final AtomicInteger presses = new AtomicInteger();
  private volatile boolean training;

  private CtrlC(String resumeCommand) {
    this.resumeCommand = resumeCommand;
    SignalHandler before;
    try {
      before = Signal.handle(INT, s -> pressed());
    } catch (IllegalArgumentException e) {
      before = null; // SIGINT is ignored (a background job) or reserved: nothing to handle
    }
    previous = before;
  }

  /** Handles Ctrl-C until closed; {@code resumeCommand} is what the messages suggest. */
  static CtrlC install(String resumeCommand) {
    return new CtrlC(resumeCommand);
  }

  /** From now on a first Ctrl-C waits for the round boundary. */
  void trainingStarted() {
    training = true;
  }

  boolean stopRequested() {
    return presses.get() > 0;
  }

  String resumeCommand() {
    return resumeCommand;
  }

  private void pressed() {
    if (presses.incrementAndGet() == 1 && training) {
      System.out.println("Ctrl-C: stopping after this round with a checkpoint (Ctrl-C again "
          + "stops at once)");
      return;
    }
    exiting = true;
    System.err.println("interrupted: stopped at once" + (training
        ? "; resume from the last checkpoint with: " + resumeCommand : ""));
    System.exit(130);
  }

  @Override
  public void close() {
    if (previous != null) {
      Signal.handle(INT, previous);
    }
  }

  /** The job stopped at a round boundary after a Ctrl-C; the message says where. */
  static final class Stopped extends RuntimeException {
    Stopped(String message) {
      super(message, null, false, false);
    }
  }
}
