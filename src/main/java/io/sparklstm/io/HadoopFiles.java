package io.sparklstm.io;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Whole-file reads and atomic writes on any Hadoop file system (file://, hdfs://, s3a://): a
 * file is written under a temporary name beside its target and renamed over it in one step, so
 * a reader sees the old file or the new one, never half of one and never none. A write that
 * fails (a full disk, say) names the file and the reason and leaves the old file as it was.
 */
public final class HadoopFiles {
  /**
   * Test hook for jobs/kill-driver-test: when SPARKLSTM_TEST_WRITE_PAUSE_MS is set, every write
   * pauses that long halfway through its temporary file and again before the rename, so that a
   * kill can be aimed inside a write.
   */
  private static final long PAUSE_MS = Long.parseLong(System.getenv()
      .getOrDefault("SPARKLSTM_TEST_WRITE_PAUSE_MS", "0"));
  private static final String TEMPORARY = ".tmp-";

  private HadoopFiles() {}

  public static void writeAtomically(String target, byte[] bytes, Configuration conf)
      throws IOException {
    write(target, bytes, conf, false);
  }

  /**
   * Like {@link #writeAtomically}, and the bytes reach the disk before the rename makes them the
   * file (hsync), so that a power cut cannot leave the name with lost contents: for models and
   * checkpoints, which nothing else can restore.
   */
  public static void writeDurably(String target, byte[] bytes, Configuration conf)
      throws IOException {
    write(target, bytes, conf, true);
  }

  private static void write(String target, byte[] bytes, Configuration conf, boolean sync)
      throws IOException {
    Path path = new Path(target);
    FileSystem fs = path.getFileSystem(conf);
    Path tmp = temporary(path);
    try {
      mkdirs(fs, path.getParent());
      if (isLocal(fs)) { // java.io: Hadoop's local create runs chmod, milliseconds a file
        try (FileOutputStream out = new FileOutputStream(local(fs, tmp).toFile())) {
          writeInTwoHalves(out, bytes);
          if (sync) {
            out.getFD().sync();
          }
        }
      } else {
        try (FSDataOutputStream out = fs.create(tmp, false)) {
          writeInTwoHalves(out, bytes);
          if (sync) {
            out.hsync();
          }
        }
      }
      pauseForTests();
      replace(fs, tmp, path, conf);
    } catch (IOException | FSError e) { // Hadoop's local streams throw FSError for ENOSPC
      throw new IOException("cannot write " + target + ": " + reason(e), e);
    } finally {
      try {
        fs.delete(tmp, false);
      } catch (IOException e) {
        // best effort: a leftover temporary name is removed when its run resumes
      }
    }
  }

  /**
   * Creates {@code file} holding {@code bytes} only if no file of that name exists, in one step
   * (HDFS's create without overwrite; O_EXCL locally, where Hadoop's own check is not atomic).
   * Returns false if it existed.
   */
  public static boolean createNew(String file, byte[] bytes, Configuration conf)
      throws IOException {
    Path path = new Path(file);
    FileSystem fs = path.getFileSystem(conf);
    try {
      if (isLocal(fs)) {
        Files.write(local(fs, path), bytes, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
      } else {
        try (FSDataOutputStream out = fs.create(path, false)) {
          out.write(bytes);
        }
      }
      return true;
    } catch (FileAlreadyExistsException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  /**
   * Refuses an output file the user would lose: a directory, a spark-lstm model or checkpoint
   * (never, whatever {@code overwrite} says) or, unless {@code overwrite}, any existing file;
   * then checks that the file can be written, before the job does its work.
   */
  public static void checkOutputFile(String option, String target, boolean overwrite,
      Configuration conf) throws IOException {
    Path path = new Path(target);
    FileSystem fs = path.getFileSystem(conf);
    FileStatus s = status(fs, path);
    if (s != null && s.isDirectory()) {
      throw new IOException(option + " " + target + " is a directory; name a file");
    }
    if (s != null && ModelFile.isModelFile(head(fs, path))) {
      throw new IOException(option + " " + target + " is a spark-lstm model or checkpoint, "
          + "which is never overwritten; choose another file");
    }
    if (s != null && !overwrite) {
      throw new IOException(option + " " + target + " already exists; pass --overwrite to "
          + "replace it");
    }
    Path probe = temporary(path);
    try {
      mkdirs(fs, path.getParent());
      if (!createNew(probe.toString(), new byte[0], conf)) {
        throw new IOException("a file of the name " + probe + " exists");
      }
      fs.delete(probe, false);
    } catch (IOException | FSError e) {
      throw new IOException(option + " " + target + " cannot be written: " + reason(e), e);
    }
  }

  /** Whether {@code name} is one of this class's temporary files (left by a killed writer). */
  public static boolean isTemporary(String name) {
    return name.startsWith(".") && name.contains(TEMPORARY);
  }

  public static byte[] read(String file, Configuration conf) throws IOException {
    Path path = new Path(file);
    FileSystem fs = path.getFileSystem(conf);
    if (!fs.exists(path)) {
      throw new IOException("no such file: " + file);
    }
    try (InputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }

  /** The file's status, or null if there is no such file. */
  static FileStatus status(FileSystem fs, Path path) throws IOException {
    try {
      return fs.getFileStatus(path);
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  /**
   * Renames {@code tmp} over {@code path}. Locally that is rename(2), which replaces the target
   * in one step; HDFS does the same for a rename with OVERWRITE. (Hadoop's generic OVERWRITE,
   * used by its local and object-store file systems, deletes the target first.)
   */
  private static void replace(FileSystem fs, Path tmp, Path path, Configuration conf)
      throws IOException {
    if (isLocal(fs)) {
      Files.move(local(fs, tmp), local(fs, path), StandardCopyOption.ATOMIC_MOVE);
    } else {
      FileContext.getFileContext(fs.getUri(), conf).rename(fs.makeQualified(tmp),
          fs.makeQualified(path), Options.Rename.OVERWRITE);
    }
  }

  /** Creates {@code dir} and its parents; an error says why (Hadoop's local mkdirs says false). */
  public static void mkdirs(FileSystem fs, Path dir) throws IOException {
    if (isLocal(fs)) {
      Files.createDirectories(local(fs, dir));
    } else if (!fs.mkdirs(dir)) {
      throw new IOException("cannot create the directory " + dir);
    }
  }

  private static boolean isLocal(FileSystem fs) {
    return "file".equals(fs.getScheme());
  }

  private static java.nio.file.Path local(FileSystem fs, Path p) {
    return java.nio.file.Path.of(fs.makeQualified(p).toUri());
  }

  /** A temporary name beside {@code path} for what is renamed into place once complete. */
  public static Path temporary(Path path) {
    return new Path(path.getParent(), "." + path.getName() + TEMPORARY + UUID.randomUUID());
  }

  private static byte[] head(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      return in.readNBytes(16);
    }
  }

  /** What went wrong, in words: the operating system's reason where there is one. */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("No space left on device")) {
        return "no space left on device";
      }
      if (m.contains("Disk quota exceeded")) {
        return "disk quota exceeded";
      }
    }
    Throwable root = e instanceof FSError && e.getCause() != null ? e.getCause() : e;
    if (root instanceof AccessDeniedException f) {
      return f.getFile() + ": permission denied";
    }
    if (root instanceof FileAlreadyExistsException f) {
      return f.getFile() + " exists and is not a directory";
    }
    if (root instanceof FileSystemException f && f.getReason() != null) {
      return f.getFile() + ": " + f.getReason();
    }
    return String.valueOf(root.getMessage());
  }

  /** All of {@code bytes}; under the test hook, in two halves with a pause between them. */
  private static void writeInTwoHalves(OutputStream out, byte[] bytes) throws IOException {
    int half = PAUSE_MS > 0 ? bytes.length / 2 : bytes.length;
    out.write(bytes, 0, half);
    if (PAUSE_MS > 0) {
      out.flush();
      pauseForTests();
    }
    out.write(bytes, half, bytes.length - half);
  }

  private static void pauseForTests() {
    if (PAUSE_MS > 0) {
      try {
        Thread.sleep(PAUSE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
