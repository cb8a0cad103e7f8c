package io.sparklstm.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The one file format of checkpoints and saved models: a magic number and version, a JSON header
 * (configuration, vocabulary, position, provenance), the raw arrays (parameters, optimizer state,
 * block-momentum velocity, carried states) and a CRC-32 of everything before it. Reading checks
 * magic, version, length and checksum before believing a byte; nothing is ever
 * Java-deserialized.
 *
 * <pre>
 *   "SPKLSTM1"  int version  int headerLength  header(UTF-8 JSON)
 *   floats params  floats optimizerState  long optimizerSteps  doubles velocity
 *   int carried  { int partition  floats state }*   long crc32
 * </pre>
 * (floats/doubles: an int count, then big-endian values.)
 */
public record ModelFile(Map<String, Object> header, float[] params, float[] optimizerState,
    long optimizerSteps, double[] velocity, Map<Integer, float[]> carried) {

  private static final byte[] MAGIC = "SPKLSTM1".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  public byte[] toBytes() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(MAGIC);
    out.writeInt(VERSION);
    byte[] head = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(header);
    out.writeInt(head.length);
    out.write(head);
    writeFloats(out, params);
    writeFloats(out, optimizerState);
    out.writeLong(optimizerSteps);
    out.writeInt(velocity.length);
    for (double v : velocity) {
      out.writeDouble(v);
    }
    Map<Integer, float[]> sorted = new TreeMap<>(carried);
    out.writeInt(sorted.size());
    for (Map.Entry<Integer, float[]> e : sorted.entrySet()) {
      out.writeInt(e.getKey());
      writeFloats(out, e.getValue());
    }
    out.flush();
    CRC32 crc = new CRC32();
    crc.update(bytes.toByteArray());
    out.writeLong(crc.getValue());
    out.flush();
    return bytes.toByteArray();
  }

  /** Whether {@code head}, a file's first bytes, starts like a model or checkpoint. */
  public static boolean isModelFile(byte[] head) {
    return head.length >= MAGIC.length
        && Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC);
  }

  /** Parses and verifies a file's bytes; {@code name} is used in error messages. */
  @SuppressWarnings("unchecked")
  public static ModelFile fromBytes(byte[] all, String name) throws IOException {
    if (all.length < MAGIC.length + 8 + 8 || !isModelFile(all)) {
      throw new IOException(name + " is not a spark-lstm model or checkpoint (bad magic number"
          + " or too short: " + all.length + " bytes)");
    }
    CRC32 crc = new CRC32();
    crc.update(all, 0, all.length - 8);
    long stored = new DataInputStream(new ByteArrayInputStream(all, all.length - 8, 8)).readLong();
    if (stored != crc.getValue()) {
      throw new IOException(name + " is corrupt or truncated: checksum mismatch");
    }
    DataInputStream in = new DataInputStream(
        new ByteArrayInputStream(all, MAGIC.length, all.length - MAGIC.length - 8));
    try {
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException(name + " has format version " + version + "; this build reads "
            + VERSION);
      }
      byte[] head = new byte[checkedLength(in.readInt(), all.length, name)];
      in.readFully(head);
      Map<String, Object> header = JSON.readValue(head, LinkedHashMap.class);
      float[] params = readFloats(in, all.length, name);
      float[] state = readFloats(in, all.length, name);
      long steps = in.readLong();
      double[] velocity = new double[checkedLength(in.readInt(), all.length / 8, name)];
      for (int i = 0; i < velocity.length; i++) {
        velocity[i] = in.readDouble();
      }
      int carriedCount = checkedLength(in.readInt(), all.length, name);
      Map<Integer, float[]> carried = new TreeMap<>();
      for (int i = 0; i < carriedCount; i++) {
        carried.put(in.readInt(), readFloats(in, all.length, name));
      }
      return new ModelFile(header, params, state, steps, velocity, carried);
    } catch (EOFException e) {
      throw new IOException(name + " ends before its declared contents", e);
    }
  }

  private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
    out.writeInt(v.length);
    for (float f : v) {
      out.writeFloat(f);
    }
  }

  private static float[] readFloats(DataInputStream in, int fileLength, String name)
      throws IOException {
    float[] v = new float[checkedLength(in.readInt(), fileLength / 4, name)];
    for (int i = 0; i < v.length; i++) {
      v[i] = in.readFloat();
    }
    return v;
  }

  private static int checkedLength(int n, int max, String name) throws IOException {
    if (n < 0 || n > max) {
      throw new IOException(name + " declares a section of " + n + " entries, impossible in a "
          + "file of this size");
    }
    return n;
  }
}
