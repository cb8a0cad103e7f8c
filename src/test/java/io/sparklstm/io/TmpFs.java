package io.sparklstm.io;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real small file system for a test: a tmpfs of a given size (or read-only) mounted on a
 * directory, unmounted on close. Mounting needs root (CI runs as root); elsewhere the test is
 * skipped, saying why.
 */
public final class TmpFs implements AutoCloseable {
  private final Path dir;

  private TmpFs(Path dir) {
    this.dir = dir;
  }

  /** Mounts a tmpfs of {@code size} (mount's syntax: 200k, 4m) on the new directory {@code dir}. */
  public static TmpFs mount(Path dir, String size, boolean readOnly) throws Exception {
    assumeTrue(isRoot(), "mounting a small tmpfs needs root (CI runs as root)");
    Files.createDirectories(dir);
    sh("mount", "-t", "tmpfs", "-o", "size=" + size + (readOnly ? ",ro" : ""), "tmpfs",
        dir.toString());
    return new TmpFs(dir);
  }

  public Path dir() {
    return dir;
  }

  /** Gives the file system a new size (its files stay). */
  public void resize(String size) throws Exception {
    sh("mount", "-o", "remount,size=" + size, dir.toString());
  }

  @Override
  public void close() throws Exception {
    sh("umount", dir.toString());
  }

  public static boolean isRoot() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("id", "-u").start();
    String uid = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor();
    return uid.equals("0");
  }

  private static void sh(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
  }
}
