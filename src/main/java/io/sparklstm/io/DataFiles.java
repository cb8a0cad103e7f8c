package io.sparklstm.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The files a data path names, checked on the driver before Spark reads them. Deep inside a
 * Spark task these mistakes surface as stack traces or, worse, as silently skipped files: a path
 * that matches no file, a subdirectory where the reader expects files, a stray file among class
 * directories, and a file whose first bytes say it is not what {@code data.format} reads (a
 * Parquet file given as CSV, UTF-16 text, ...). Every message names the key, the file and what
 * was expected. Names starting with {@code _} or {@code .} are skipped, as Hadoop and Spark do.
 */
public final class DataFiles {
  private static final int HEAD_BYTES = 4096;

  private DataFiles() {}

  /**
   * Checks {@code path} (a file, a directory of files or a glob) for {@code format} and returns
   * its data files, sorted. Spark SQL formats (csv, parquet) may hold {@code key=value}
   * partition directories; any other subdirectory fails (Hadoop's readers fail on it, Spark SQL
   * skips it without a word). The first file's bytes must fit the format.
   */
  public static List<Path> check(Configuration conf, String key, String path, String format)
      throws IOException {
    if (path.isEmpty()) {
      throw new IllegalArgumentException(key + " is required for data.format = " + format);
    }
    List<Path> files = files(conf, key, path, format);
    requireKind(conf, key, files.get(0), format);
    return files;
  }

  /**
   * The data files of {@code path} for {@code format}, sorted, checked as {@link #check} checks
   * them but for their bytes: one listing per directory, nothing read.
   */
  public static List<Path> files(Configuration conf, String key, String path, String format)
      throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    FileStatus[] matches = fs.globStatus(p, DataFiles::visible);
    if (matches == null || matches.length == 0) {
      throw new IllegalArgumentException(key + ": no file or directory matches " + path);
    }
    List<Path> files = new ArrayList<>();
    if (format.equals("labelled-dirs")) {
      for (FileStatus m : matches) {
        classDirectories(fs, key, m, files);
      }
    } else {
      boolean partitions = format.equals("csv") || format.equals("parquet");
      for (FileStatus m : matches) {
        collect(fs, key, m, partitions, files);
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(key + ": " + path + " holds no data files");
    }
    files.sort(null);
    return files;
  }

  /** The class directories of a labelled-dirs path, sorted: every entry must be a directory. */
  public static List<String> classNames(Configuration conf, String key, String path)
      throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    List<String> names = new ArrayList<>();
    for (FileStatus s : fs.listStatus(p, DataFiles::visible)) {
      if (!s.isDirectory()) {
        throw strayFile(key, s.getPath(), path);
      }
      names.add(s.getPath().getName());
    }
    names.sort(null);
    return names;
  }

  /** A file name as a user wrote it: local paths without the {@code file:} scheme. */
  public static String display(String uri) {
    Path p = new Path(uri);
    return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
  }

  private static boolean visible(Path p) {
    String name = p.getName();
    return !name.startsWith("_") && !name.startsWith(".");
  }

  private static void collect(FileSystem fs, String key, FileStatus s, boolean partitions,
      List<Path> files) throws IOException {
    if (!s.isDirectory()) {
      files.add(s.getPath());
      return;
    }
    for (FileStatus child : fs.listStatus(s.getPath(), DataFiles::visible)) {
      if (!child.isDirectory()) {
        files.add(child.getPath());
      } else if (partitions && child.getPath().getName().contains("=")) {
        collect(fs, key, child, true, files);
      } else {
        throw new IllegalArgumentException(key + ": " + display(child.getPath().toString())
            + " is a directory inside " + display(s.getPath().toString()) + "; expected only "
            + "data files there" + (partitions ? " (or key=value partition directories)" : "")
            + ": name the files with a glob (e.g. " + display(s.getPath().toString())
            + "/*/*) or move them");
      }
    }
  }

  private static void classDirectories(FileSystem fs, String key, FileStatus top,
      List<Path> files) throws IOException {
    String where = display(top.getPath().toString());
    if (!top.isDirectory()) {
      throw new IllegalArgumentException(key + ": " + where + " is a file; labelled-dirs expects "
          + "a directory holding one directory of text files per class");
    }
    for (FileStatus c : fs.listStatus(top.getPath(), DataFiles::visible)) {
      if (!c.isDirectory()) {
        throw strayFile(key, c.getPath(), where);
      }
      for (FileStatus f : fs.listStatus(c.getPath(), DataFiles::visible)) {
        if (f.isDirectory()) {
          throw new IllegalArgumentException(key + ": " + display(f.getPath().toString())
              + " is a directory inside class directory '" + c.getPath().getName() + "'; "
              + "expected only the text files of that class");
        }
        files.add(f.getPath());
      }
    }
  }

  private static IllegalArgumentException strayFile(String key, Path file, String dir) {
    return new IllegalArgumentException(key + ": " + display(file.toString()) + " is a file at "
        + "the top level of " + display(dir) + "; labelled-dirs expects only class directories "
        + "there (one directory of text files per class)");
  }

  /** Fails unless the first bytes of {@code file} fit {@code format}. */
  private static void requireKind(Configuration conf, String key, Path file, String format)
      throws IOException {
    boolean text = !format.equals("parquet") && !format.equals("idx");
    byte[] head = head(conf, file, text);
    String kind = kind(head);
    String problem;
    String expected;
    if (format.equals("parquet")) {
      problem = startsWith(head, 'P', 'A', 'R', '1') ? null
          : kind != null ? kind : "not a Parquet file (it does not start with PAR1)";
      expected = "Parquet";
    } else if (format.equals("idx")) {
      problem = isIdx(head) ? null : kind != null ? kind : "not an IDX file (magic number "
          + "0x0000080N)";
      expected = "IDX (MNIST format, plain or gzipped)";
    } else {
      problem = kind != null ? kind : nul(head);
      expected = "UTF-8 text" + (format.equals("csv") ? " (CSV)" : "");
    }
    if (problem != null) {
      throw new IllegalArgumentException(key + ": " + display(file.toString()) + " is "
          + problem + ", but data.format = " + format + " reads " + expected
          + (problem.contains("UTF-16") ? "; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)"
          : ""));
    }
  }

  /** What a file's first bytes say it is, when they say it (not for text). */
  private static String kind(byte[] head) {
    if (startsWith(head, 'P', 'A', 'R', '1')) {
      return "a Parquet file";
    }
    if (isIdx(head)) {
      return "an IDX file";
    }
    if (startsWith(head, 0x1F, 0x8B)) {
      return "gzip-compressed (name it *.gz to have it decompressed)";
    }
    if (startsWith(head, 0x50, 0x4B, 0x03, 0x04)) {
      return "a zip archive";
    }
    if (startsWith(head, 0xFF, 0xFE) || startsWith(head, 0xFE, 0xFF)) {
      return "UTF-16 text (it starts with a UTF-16 byte-order mark)";
    }
    return null;
  }

  private static boolean isIdx(byte[] head) {
    return head.length >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08;
  }

  /** UTF-8 text has no NUL bytes; UTF-16 text without a byte-order mark is full of them. */
  private static String nul(byte[] head) {
    for (int i = 0; i < head.length; i++) {
      if (head[i] == 0) {
        return "not UTF-8 text: it has a NUL byte at byte " + i + " (UTF-16 without a "
            + "byte-order mark?)";
      }
    }
    return null;
  }

  private static byte[] head(Configuration conf, Path file, boolean text) throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    CompressionCodec codec = text ? new CompressionCodecFactory(conf).getCodec(file) : null;
    try (InputStream raw = fs.open(file);
        InputStream in = codec != null ? codec.createInputStream(raw) : raw) {
      byte[] head = in.readNBytes(HEAD_BYTES);
      if (!text && startsWith(head, 0x1F, 0x8B)) { // IDX files may be gzipped whatever the name
        try (InputStream gz = new GZIPInputStream(fs.open(file))) {
          return gz.readNBytes(HEAD_BYTES);
        }
      }
      return head;
    }
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    return b.length >= prefix.length && Arrays.equals(Arrays.copyOf(b, prefix.length),
        toBytes(prefix));
  }

  private static byte[] toBytes(int[] values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }
}
