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
    int[] labelValues;
    try (InputStream in = Files.newInputStream(checked(labels))) {
      labelValues = readLabels(in, labels.toString());
    }
    List<float[]> imgs;
    int cols;
    try (InputStream in = Files.newInputStream(checked(images))) {
      ImageSet set = readImages(in, images.toString());
      imgs = set.images();
      cols = set.cols();
    }
    if (imgs.size() != labelValues.length) {
      throw new IOException(images + " holds " + imgs.size() + " images but " + labels
          + " holds " + labelValues.length + " labels");
    }
    List<Example> out = new ArrayList<>(labelValues.length);
    for (int i = 0; i < labelValues.length; i++) {
      out.add(Example.ofFeatures(imgs.get(i), cols, labelValues[i]));
    }
    return out;
  }

  /** Images, each rows x cols pixels scaled to [0, 1], row-major. */
  public record ImageSet(List<float[]> images, int rows, int cols) {}

  /** Reads an IDX image file (gzipped or not) from a stream; {@code name} names it in errors. */
  public static ImageSet readImages(InputStream raw, String name) throws IOException {
    DataInputStream in = open(raw);
    int[] dims = header(in, name, 3);
    int rows = dims[1];
    int cols = dims[2];
    byte[] pixels = new byte[rows * cols];
    List<float[]> out = new ArrayList<>(dims[0]);
    for (int i = 0; i < dims[0]; i++) {
      readFully(in, pixels, name, i);
      float[] f = new float[pixels.length];
      for (int p = 0; p < pixels.length; p++) {
        f[p] = (pixels[p] & 0xFF) / 255f;
      }
      out.add(f);
    }
    return new ImageSet(out, rows, cols);
  }

  /** Reads an IDX label file (gzipped or not) from a stream. */
  public static int[] readLabels(InputStream raw, String name) throws IOException {
    DataInputStream in = open(raw);
    int[] dims = header(in, name, 1);
    byte[] bytes = new byte[dims[0]];
    readFully(in, bytes, name, 0);
    int[] out = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[i] & 0xFF;
    }
    return out;
  }

  private static Path checked(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("no such file: " + file);
    }
    return file;
  }

  private static int[] header(DataInputStream in, String file, int expectedDims)
      throws IOException {
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

  private static void readFully(DataInputStream in, byte[] buf, String file, int item)
      throws IOException {
    try {
      in.readFully(buf);
    } catch (EOFException e) {
      throw new IOException(file + ": truncated at item " + item, e);
    }
  }

  /** Un-gzips a stream when it starts with the gzip magic bytes. */
  static DataInputStream open(InputStream raw) throws IOException {
    PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(raw, 1 << 16), 2);
    byte[] head = new byte[2];
    int n = in.readNBytes(head, 0, 2);
    in.unread(head, 0, n);
    boolean gzip = n == 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B;
    InputStream body = gzip ? new GZIPInputStream(in, 1 << 16) : in;
    return new DataInputStream(new BufferedInputStream(body, 1 << 16));
  }
}
