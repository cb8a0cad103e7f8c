package io.sparklstm.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Whole-file reads and atomic writes on any Hadoop file system (file://, hdfs://, s3a://): a
 * file is written under a temporary name beside its target and renamed into place, so a reader
 * never sees half of it.
 */
public final class HadoopFiles {
  private HadoopFiles() {}

  public static void writeAtomically(String target, byte[] bytes, Configuration conf)
      throws IOException {
    Path path = new Path(target);
    FileSystem fs = path.getFileSystem(conf);
    fs.setWriteChecksum(false); // the files carry their own checksums; no .crc sidecars
    Path parent = path.getParent();
    if (parent != null) {
      fs.mkdirs(parent);
    }
    Path tmp = new Path(parent, "." + path.getName() + ".tmp-" + UUID.randomUUID());
    try {
      try (OutputStream out = fs.create(tmp, false)) {
        out.write(bytes);
      }
      if (fs.exists(path) && !fs.delete(path, false)) {
        throw new IOException("cannot replace " + path);
      }
      if (!fs.rename(tmp, path)) {
        throw new IOException("cannot rename " + tmp + " to " + path);
      }
    } finally {
      fs.delete(tmp, false);
    }
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

  public static boolean exists(String file, Configuration conf) throws IOException {
    Path path = new Path(file);
    return path.getFileSystem(conf).exists(path);
  }
}
