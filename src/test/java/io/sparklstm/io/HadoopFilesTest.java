package io.sparklstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic replacement and clear failures of {@link HadoopFiles}, on real local file systems. */
class HadoopFilesTest {
  @TempDir
  Path dir;

  @Test
  void aReaderAlwaysFindsTheOldFileOrTheNewOneNeverNone() throws Exception {
    Path target = dir.resolve("metrics.jsonl");
    byte[] a = new byte[4096];
    byte[] b = new byte[4096];
    Arrays.fill(a, (byte) 'a');
    Arrays.fill(b, (byte) 'b');
    HadoopFiles.writeAtomically(target.toString(), a, new Configuration());
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<String> seen = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      while (!done.get() && seen.get() == null) {
        try {
          byte[] now = Files.readAllBytes(target);
          if (!Arrays.equals(now, a) && !Arrays.equals(now, b)) {
            seen.set("a file of " + now.length + " bytes, neither version");
          }
        } catch (java.nio.file.NoSuchFileException e) {
          seen.set("no file at all");
        } catch (java.io.IOException e) {
          seen.set(e.toString());
        }
        Thread.yield(); // the writer needs the CPU too
      }
    });
    reader.start();
    for (int i = 0; i < 300 && seen.get() == null; i++) {
      HadoopFiles.writeAtomically(target.toString(), i % 2 == 0 ? b : a, new Configuration());
    }
    done.set(true);
    reader.join();
    assertEquals(null, seen.get(), "while the file was replaced, a reader found");
  }

  @Test
  void aWriteThatFindsTheDiskFullNamesTheFileAndLeavesTheOldOne() throws Exception {
    try (TmpFs small = TmpFs.mount(dir.resolve("small"), "64k", false)) {
      Path target = small.dir().resolve("run/checkpoint.bin");
      byte[] old = new byte[16 * 1024];
      Arrays.fill(old, (byte) 7);
      HadoopFiles.writeAtomically(target.toString(), old, new Configuration());
      java.io.IOException e = assertThrows(java.io.IOException.class, () ->
          HadoopFiles.writeAtomically(target.toString(), new byte[100 * 1024],
              new Configuration()));
      assertEquals("cannot write " + target + ": no space left on device", e.getMessage());
      assertArrayEquals(old, Files.readAllBytes(target), "the old file is intact");
      try (Stream<Path> files = Files.list(target.getParent())) {
        assertEquals(1, files.count(), "no temporary file left behind");
      }
    }
  }

  @Test
  void anOutputFileIsCheckedBeforeTheWork() throws Exception {
    Configuration conf = new Configuration();
    Path mine = Files.writeString(dir.resolve("mine.json"), "{}");
    Path model = dir.resolve("model.bin");
    Files.write(model, new ModelFile(java.util.Map.of(), new float[1], new float[0], 0,
        new double[1], java.util.Map.of()).toBytes());
    assertTrue(message(() -> HadoopFiles.checkOutputFile("--out", mine.toString(), false, conf))
        .endsWith("already exists; pass --overwrite to replace it"));
    HadoopFiles.checkOutputFile("--out", mine.toString(), true, conf);
    assertTrue(message(() -> HadoopFiles.checkOutputFile("--out", model.toString(), true, conf))
        .contains("is a spark-lstm model or checkpoint, which is never overwritten"));
    assertTrue(message(() -> HadoopFiles.checkOutputFile("--out", dir.toString(), true, conf))
        .endsWith("is a directory; name a file"));
    assertTrue(message(() -> HadoopFiles.checkOutputFile("--out",
        mine.resolve("x.json").toString(), true, conf)).contains("cannot be written"));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(2, files.count(), "the checks leave nothing behind");
    }
  }

  private static String message(org.junit.jupiter.api.function.Executable check) {
    return assertThrows(java.io.IOException.class, check).getMessage();
  }
}
