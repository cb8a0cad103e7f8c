package io.sparklstm.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One job at a time in a run directory: the file {@code DIR/.lock}, created only if absent (one
 * atomic step on HDFS and local disks), names its holder (host, process, start time, a random
 * id). The holder refreshes the file's modification time every {@link #HEARTBEAT_MS}. A lock is
 * stale, and taken over, when its process is gone (seen from the same machine) or it has not
 * been refreshed for three heartbeats (seen from anywhere), so a killed driver never blocks a
 * {@code --resume} for long. Clocks of the machines involved must agree within seconds.
 */
public final class RunLock implements AutoCloseable {
  static final long HEARTBEAT_MS = 10_000;
  static final long STALE_MS = 3 * HEARTBEAT_MS;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern(
      "yyyy-MM-dd HH:mm:ss xxx").withZone(ZoneId.systemDefault());

  private final FileSystem fs;
  private final Path file;
  private final String id;
  private final ScheduledExecutorService heartbeat;
  private volatile String lost;

  private RunLock(FileSystem fs, Path file, String id) {
    this.fs = fs;
    this.file = file;
    this.id = id;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spark-lstm run lock");
      t.setDaemon(true);
      return t;
    });
    heartbeat.scheduleWithFixedDelay(this::refresh, HEARTBEAT_MS, HEARTBEAT_MS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Locks {@code dir} (creating it), taking over a stale lock; fails, naming the holder, if
   * another live job has it. Creating the lock is also the check that {@code dir} can be
   * written at all.
   */
  public static RunLock acquire(String dir, Configuration conf) throws IOException {
    Path d = new Path(dir);
    FileSystem fs = d.getFileSystem(conf);
    // Qualified (scheme and authority): the lock file is found again on this file system,
    // whatever default file system another Configuration names.
    Path file = fs.makeQualified(new Path(d, ".lock"));
    Map<String, Object> me = owner();
    try {
      HadoopFiles.mkdirs(fs, d);
      for (int attempt = 0; attempt < 3; attempt++) {
        if (HadoopFiles.createNew(file.toString(), JSON.writeValueAsBytes(me), conf)) {
          return new RunLock(fs, file, (String) me.get("id"));
        }
        Holder h = Holder.read(fs, file);
        if (h != null) {
          String stale = h.staleBecause(me);
          if (stale == null) {
            throw new LockedException(dir + " is in use by another training job: " + h
                + "; wait for it to end or choose another --out");
          }
          takeOver(fs, file, h, dir, stale);
        }
      }
    } catch (LockedException e) {
      throw e;
    } catch (IOException e) {
      throw new IOException("--out " + dir + " cannot be written: " + HadoopFiles.reason(e), e);
    }
    throw new LockedException(dir + " is in use: its lock " + file + " keeps changing hands");
  }

  /** Fails if another job has taken the lock over (this one looked dead to it). */
  public void check() throws IOException {
    if (lost != null) {
      throw new LockedException("lost the lock on " + file.getParent() + ": " + lost
          + "; this job stops so that one job writes the run");
    }
  }

  /** Stops refreshing and removes the lock if it is still this job's. */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      Holder h = Holder.read(fs, file);
      if (h != null && id.equals(h.owner.get("id"))) {
        fs.delete(file, false);
      }
    } catch (IOException e) {
      // the lock stays behind and goes stale: a later job takes it over
    }
  }

  void refresh() {
    try {
      Holder h = Holder.read(fs, file);
      if (h == null || !id.equals(h.owner.get("id"))) {
        lost = h == null ? "its lock file was removed" : "it is now held by " + h;
      } else {
        fs.setTimes(file, System.currentTimeMillis(), -1);
      }
    } catch (IOException | RuntimeException e) {
      // a passing file-system hiccup: the next heartbeat tries again
    }
  }

  /**
   * Moves a stale lock aside and deletes it. Two jobs may find the same stale lock: only one
   * rename succeeds, and a job that moved a lock other than the one it judged puts it back.
   */
  private static void takeOver(FileSystem fs, Path file, Holder stale, String dir,
      String because) throws IOException {
    Path aside = new Path(file.getParent(), ".lock.stale-" + UUID.randomUUID());
    if (!fs.rename(file, aside)) {
      return; // someone else moved it first; try again
    }
    Holder moved = Holder.read(fs, aside);
    if (moved == null || !Objects.equals(moved.owner.get("id"), stale.owner.get("id"))) {
      fs.rename(aside, file);
      return;
    }
    fs.delete(aside, false);
    System.out.println("Took over the lock of " + dir + " from a job that is gone (" + because
        + "): " + stale);
  }

  private static Map<String, Object> owner() {
    ProcessHandle self = ProcessHandle.current();
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", UUID.randomUUID().toString());
    o.put("host", host());
    o.put("machine", machine());
    o.put("pid", self.pid());
    o.put("processStart", self.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    o.put("since", System.currentTimeMillis());
    return o;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return System.getenv().getOrDefault("HOSTNAME", "unknown");
    }
  }

  /** This boot of this machine and this process-id namespace: where a pid means one process. */
  private static String machine() {
    try {
      return Files.readString(java.nio.file.Path.of("/proc/sys/kernel/random/boot_id")).strip()
          + " " + Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/pid"));
    } catch (IOException | RuntimeException e) {
      return host();
    }
  }

  /** A lock found on disk: its holder and when it was last refreshed. */
  private record Holder(Map<String, Object> owner, long refreshed) {
    /** The lock at {@code file}, or null if there is none (any more). */
    @SuppressWarnings("unchecked")
    static Holder read(FileSystem fs, Path file) throws IOException {
      FileStatus s = HadoopFiles.status(fs, file);
      if (s == null) {
        return null;
      }
      Map<String, Object> owner;
      try {
        owner = JSON.readValue(HadoopFiles.read(file.toString(), fs.getConf()), Map.class);
      } catch (IOException e) {
        owner = Map.of(); // being written, or damaged: its age decides
      }
      return new Holder(owner, s.getModificationTime());
    }

    /** Why this lock is stale as seen by {@code me}, or null if it is live. */
    String staleBecause(Map<String, Object> me) {
      // A dead process on this machine is the surer reason, so it is named first (a slow
      // restart would otherwise also find the lock old).
      if (Objects.equals(owner.get("machine"), me.get("machine")) && !alive()) {
        return "its process " + owner.get("pid") + " is not running";
      }
      long age = System.currentTimeMillis() - refreshed;
      return age > STALE_MS ? "not refreshed for " + age / 1000 + " s" : null;
    }

    private boolean alive() {
      long start = ((Number) owner.getOrDefault("processStart", 0L)).longValue();
      return ProcessHandle.of(((Number) owner.get("pid")).longValue())
          .filter(ProcessHandle::isAlive)
          .map(p -> start == 0 || p.info().startInstant().map(Instant::toEpochMilli)
              .orElse(start) == start)
          .orElse(false);
    }

    @Override
    public String toString() {
      long age = Math.max(0, System.currentTimeMillis() - refreshed) / 1000;
      if (!owner.containsKey("pid")) {
        return "unknown holder (lock written " + age + " s ago)";
      }
      return "pid " + owner.get("pid") + " on host " + owner.get("host") + " since "
          + TIME.format(Instant.ofEpochMilli(((Number) owner.get("since")).longValue())
              .truncatedTo(ChronoUnit.SECONDS)) + ", lock refreshed " + age + " s ago";
    }
  }

  /** The run directory is another live job's. */
  public static final class LockedException extends IOException {
    LockedException(String message) {
      super(message);
    }
  }
}
