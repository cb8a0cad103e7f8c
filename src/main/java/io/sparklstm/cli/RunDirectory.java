package io.sparklstm.cli;

import io.sparklstm.io.HadoopFiles;
import io.sparklstm.io.RunLock;
import io.sparklstm.train.Selection;
import io.sparklstm.train.TrainingState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A training run's directory ({@code --out}): its files, and the lock that makes one job at a
 * time its writer. Opening it locks it, which is also the check that it can be written, and
 * refuses a directory that already holds a run unless the job resumes it.
 */
final class RunDirectory implements AutoCloseable {
  /** What a run leaves in its directory. */
  private static final List<String> RUN_FILES = List.of("model", "metrics.jsonl",
      "checkpoints", "report.html");

  private final String dir;
  private final FileSystem fs;
  private final RunLock lock;
  private final boolean created;

  private RunDirectory(String dir, FileSystem fs, RunLock lock, boolean created) {
    this.dir = dir;
    this.fs = fs;
    this.lock = lock;
    this.created = created;
  }

  /** Locks {@code dir}; unless {@code resume}, it must not hold a run yet. */
  static RunDirectory open(String dir, boolean resume, Configuration conf) throws IOException {
    Path d = new Path(dir);
    FileSystem fs = d.getFileSystem(conf);
    boolean existed = fs.exists(d);
    RunDirectory run = new RunDirectory(dir, fs, RunLock.acquire(dir, conf), !existed);
    try {
      List<String> found = new ArrayList<>();
      for (String name : RUN_FILES) {
        if (fs.exists(new Path(d, name))) {
          found.add(name);
        }
      }
      if (!resume && !found.isEmpty()) {
        throw new JobConfig.ConfigException(dir + " already holds a run (" + String.join(", ",
            found) + "); pass --resume to continue it, or choose another --out");
      }
      if (resume && found.contains("model") && run.latestCheckpoint() == null) {
        // Starting over would replace a finished model that nothing can recreate.
        throw new JobConfig.ConfigException("--resume: " + dir + " holds a finished model but "
            + "no checkpoint to continue from; choose another --out");
      }
      run.removeTemporaries();
      return run;
    } catch (IOException | RuntimeException e) {
      run.close();
      throw e;
    }
  }

  String dir() {
    return dir;
  }

  RunLock lock() {
    return lock;
  }

  String model() {
    return dir + "/model/model.bin";
  }

  /** Where the checkpoint of {@code next} goes (names sort by position). */
  String checkpoint(TrainingState next) {
    return checkpoint(next.epoch(), next.round());
  }

  /** Where the checkpoint of the state at ({@code epoch}, {@code round}) goes. */
  String checkpoint(int epoch, int round) {
    return String.format(Locale.ROOT, "%s/checkpoints/ckpt-e%04d-r%05d.bin", dir, epoch, round);
  }

  /**
   * Deletes all checkpoints but the newest {@code keep} and the one of {@code latest}'s best
   * evaluation (checkpoint.keep; 0 keeps all). Called after {@code latest}'s checkpoint is
   * written, so the one --resume needs (the newest) is never deleted, and a kill between two
   * deletions leaves only more checkpoints than asked, never fewer.
   */
  void prune(int keep, TrainingState latest) throws IOException {
    Path p = new Path(dir, "checkpoints");
    if (keep == 0 || !fs.exists(p)) {
      return;
    }
    List<String> names = new ArrayList<>();
    for (FileStatus s : fs.listStatus(p)) {
      String name = s.getPath().getName();
      if (name.startsWith("ckpt-") && name.endsWith(".bin")) {
        names.add(name);
      }
    }
    names.sort(null); // oldest first
    Selection sel = latest.selection();
    String best = sel.started() ? new Path(checkpoint(sel.bestEpoch(), sel.bestRound()))
        .getName() : null;
    for (String name : names.subList(0, Math.max(0, names.size() - keep))) {
      if (!name.equals(best)) {
        fs.delete(new Path(p, name), false);
      }
    }
  }

  /** The newest checkpoint file, or null. */
  String latestCheckpoint() throws IOException {
    Path p = new Path(dir, "checkpoints");
    if (!fs.exists(p)) {
      return null;
    }
    String best = null;
    for (FileStatus s : fs.listStatus(p)) {
      String name = s.getPath().getName();
      if (name.startsWith("ckpt-") && name.endsWith(".bin")
          && (best == null || name.compareTo(best) > 0)) {
        best = name;
      }
    }
    return best == null ? null : dir + "/checkpoints/" + best;
  }

  /** Temporary files of writes a killed job left half done (only a lock holder may do this). */
  private void removeTemporaries() throws IOException {
    for (String sub : new String[] {"", "/checkpoints", "/model"}) {
      Path p = new Path(dir + sub);
      if (fs.isDirectory(p)) {
        for (FileStatus s : fs.listStatus(p)) {
          if (HadoopFiles.isTemporary(s.getPath().getName())) {
            fs.delete(s.getPath(), false);
          }
        }
      }
    }
  }

  /** Unlocks; a directory this job created and left empty (it failed early) goes too. */
  @Override
  public void close() {
    lock.close();
    try {
      Path d = new Path(dir);
      if (created && fs.listStatus(d).length == 0) {
        fs.delete(d, false);
      }
    } catch (IOException e) {
      // it stays, empty
    }
  }
}
