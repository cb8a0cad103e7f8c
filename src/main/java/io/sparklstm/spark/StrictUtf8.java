package io.sparklstm.spark;

import io.sparklstm.io.DataFiles;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the bytes of one file as UTF-8 and fails, naming the file and the byte, where they are
 * not UTF-8 text: a malformed sequence, a UTF-16 byte-order mark, or a NUL byte (UTF-16 text
 * without a byte-order mark decodes as valid UTF-8 with a NUL before or after every ASCII
 * character, and would otherwise train a model on it). A UTF-8 byte-order mark at the start of a
 * file is not text and is dropped. One instance per file or partition: it reuses its decoder.
 */
final class StrictUtf8 {
  static final String CONVERT = "; convert the file to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)";

  private final String file;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();

  StrictUtf8(String file) {
    this.file = DataFiles.display(file);
  }

  /** The text of {@code length} bytes from {@code b[from]}, which is byte {@code at} of the file. */
  String decode(byte[] b, int from, int length, long at) {
    int start = from;
    int end = from + length;
    if (at == 0 && length >= 2 && ((b[from] & 0xFF) == 0xFF && (b[from + 1] & 0xFF) == 0xFE
        || (b[from] & 0xFF) == 0xFE && (b[from + 1] & 0xFF) == 0xFF)) {
      throw new IllegalArgumentException(file + " is UTF-16 text (it starts with a UTF-16 "
          + "byte-order mark), not UTF-8" + CONVERT);
    }
    if (at == 0 && length >= 3 && (b[from] & 0xFF) == 0xEF && (b[from + 1] & 0xFF) == 0xBB
        && (b[from + 2] & 0xFF) == 0xBF) {
      start += 3;
    }
    for (int i = start; i < end; i++) {
      if (b[i] == 0) {
        throw new IllegalArgumentException(file + " has a NUL byte at byte " + (at + i - from)
            + ": not UTF-8 text (UTF-16 without a byte-order mark?)" + CONVERT);
      }
    }
    ByteBuffer in = ByteBuffer.wrap(b, start, end - start);
    CharBuffer out = CharBuffer.allocate(end - start); // UTF-8 never has more chars than bytes
    decoder.reset();
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      throw new IllegalArgumentException("invalid UTF-8 in " + file + " at byte "
          + (at + in.position() - from) + "; expected UTF-8 text");
    }
    return out.flip().toString();
  }
}
