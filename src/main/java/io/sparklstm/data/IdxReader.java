package io.sparklstm.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * MNIST-format IDX files (plain or gzipped): images become sequences read row by row, one step
 * per row of pixels, each pixel scaled to [0, 1].
 */
public final class IdxReader {
  private static final int UNSIGNED_BYTE = 0x08;

  private IdxReader() {}

  /** Images and labels paired into examples of {@code rows} steps x {@code cols} features. */
  public static List<Example> rowSequences(Path images, Path labels) throws IOException {
    int[] labelValues = readLabels(labels);
    List<Example> out = new ArrayList<>(labelValues.length);
    try (DataInputStream in = open(images)) {
      int[] dims = header(in, images, 3);
      if (dims[0] != labelValues.length) {
        throw new IOException(images + " holds " + dims[0] + " images but " + labels + " holds "
            + labelValues.length + " labels");
      }
      int rows = dims[1];
      int cols = dims[2];
      byte[] pixels = new byte[rows * cols];
      for (int i = 0; i < dims[0]; i++) {
        readFully(in, pixels, images, i);
        float[] f = new float[pixels.length];
        for (int p = 0; p < pixels.length; p++) {
          f[p] = (pixels[p] & 0xFF) / 255f;
        }
        out.add(Example.ofFeatures(f, cols, labelValues[i]));
      }
    }
    return out;
  }

  public static int[] readLabels(Path labels) throws IOException {
    try (DataInputStream in = open(labels)) {
      int[] dims = header(in, labels, 1);
      byte[] raw = new byte[dims[0]];
      readFully(in, raw, labels, 0);
      int[] out = new int[raw.length];
      for (int i = 0; i < raw.length; i++) {
        out[i] = raw[i] & 0xFF;
      }
      return out;
    }
  }

  private static int[] header(DataInputStream in, Path file, int expectedDims) throws IOException {
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw new IOException(file + ": empty or truncated IDX header", e);
    }
    int type = (magic >>> 8) & 0xFF;
    int ndims = magic & 0xFF;
    if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || ndims != expectedDims) {
      throw new IOException(String.format("%s: not an IDX file of unsigned bytes with %d "
          + "dimensions (magic 0x%08X, expected 0x0000080%d)", file, expectedDims, magic,
          expectedDims));
    }
    int[] dims = new int[ndims];
    for (int d = 0; d < ndims; d++) {
      dims[d] = in.readInt();
      if (dims[d] <= 0) {
        throw new IOException(file + ": dimension " + d + " is " + dims[d]);
      }
    }
    return dims;
  }

  private static void readFully(DataInputStream in, byte[] buf, Path file, int item)
      throws IOException {
    try {
      in.readFully(buf);
    } catch (EOFException e) {
      throw new IOException(file + ": truncated at item " + item, e);
    }
  }

  /** Opens a file, un-gzipping it when it starts with the gzip magic bytes. */
  static DataInputStream open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("no such file: " + file);
    }
    PushbackInputStream in = new PushbackInputStream(
        new BufferedInputStream(Files.newInputStream(file), 1 << 16), 2);
    byte[] head = new byte[2];
    int n = in.readNBytes(head, 0, 2);
    in.unread(head, 0, n);
    boolean gzip = n == 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B;
    InputStream body = gzip ? new GZIPInputStream(in, 1 << 16) : in;
    return new DataInputStream(new BufferedInputStream(body, 1 << 16));
  }
}
