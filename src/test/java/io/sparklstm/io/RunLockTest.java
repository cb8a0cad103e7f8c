package io.sparklstm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run directory lock: one holder, stale locks of dead or silent holders taken over. */
class RunLockTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Configuration CONF = new Configuration();

  @TempDir
  Path dir;

  @Test
  void aLiveHolderKeepsItAndIsNamed() throws Exception {
    Path run = dir.resolve("run");
    try (RunLock held = RunLock.acquire(run.toString(), CONF)) {
      IOException e = assertThrows(RunLock.LockedException.class,
          () -> RunLock.acquire(run.toString(), CONF));
      assertTrue(e.getMessage().startsWith(run + " is in use by another training job: pid "
          + ProcessHandle.current().pid() + " on host "), e.getMessage());
      assertTrue(e.getMessage().contains(" since 20"), e.getMessage());
      held.check();
    }
    assertFalse(Files.exists(run.resolve(".lock")), "released");
    RunLock.acquire(run.toString(), CONF).close();
  }

  @Test
  void theLockOfAProcessThatIsGoneIsTakenOver() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    Path run = dir.resolve("dead");
    writeLock(run, Map.of("pid", gone.pid()), 0);
    RunLock.acquire(run.toString(), CONF).close();
  }

  @Test
  void anotherHostsLockHoldsUntilItIsNoLongerRefreshed() throws Exception {
    Path run = dir.resolve("remote");
    writeLock(run, Map.of("host", "elsewhere", "machine", "another machine", "pid", 1), 5_000);
    IOException e = assertThrows(RunLock.LockedException.class,
        () -> RunLock.acquire(run.toString(), CONF));
    assertTrue(e.getMessage().contains("pid 1 on host elsewhere since "), e.getMessage());
    writeLock(run, Map.of("host", "elsewhere", "machine", "another machine", "pid", 1),
        RunLock.STALE_MS + 5_000);
    RunLock.acquire(run.toString(), CONF).close();
  }

  @Test
  void aHolderWhoseLockWasTakenOverNoticesAndStops() throws Exception {
    Path run = dir.resolve("taken");
    try (RunLock lock = RunLock.acquire(run.toString(), CONF)) {
      writeLock(run, Map.of("host", "elsewhere", "machine", "another machine", "pid", 1), 0);
      lock.refresh();
      IOException e = assertThrows(IOException.class, lock::check);
      assertTrue(e.getMessage().startsWith("lost the lock on "), e.getMessage());
    }
    assertTrue(Files.exists(run.resolve(".lock")), "the new holder's lock stays");
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    IOException e = assertThrows(IOException.class,
        () -> RunLock.acquire(file.toString(), CONF));
    assertEquals("--out " + file + " cannot be written: " + file
        + " exists and is not a directory", e.getMessage());
  }

  /**
   * Writes DIR/.lock as another job would: this process's own lock with {@code changes},
   * refreshed {@code ageMs} ago.
   */
  private void writeLock(Path run, Map<String, Object> changes, long ageMs) throws Exception {
    Path mine = dir.resolve("template-" + System.nanoTime());
    Map<String, Object> owner;
    try (RunLock template = RunLock.acquire(mine.toString(), CONF)) {
      owner = new LinkedHashMap<>(JSON.readValue(mine.resolve(".lock").toFile(), Map.class));
    }
    owner.putAll(changes);
    owner.put("id", "someone else");
    Files.createDirectories(run);
    Path lock = run.resolve(".lock");
    Files.write(lock, JSON.writeValueAsBytes(owner));
    Files.setLastModifiedTime(lock, FileTime.fromMillis(System.currentTimeMillis() - ageMs));
  }
}
