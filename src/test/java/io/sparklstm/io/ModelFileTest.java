package io.sparklstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checkpoint format reads back exactly, and refuses anything altered. */
class ModelFileTest {
  private static ModelFile sample() {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("config", Map.of("model.hidden", "4"));
    return new ModelFile(header, new float[] {1.5f, -2f, 3.25f}, new float[] {0.5f, 0.25f, 0f,
        1f, 2f, 3f}, 42, new double[] {0.1, 0.2, 0.3}, Map.of(1, new float[] {9f}));
  }

  @Test
  void roundTripsExactly() throws IOException {
    ModelFile f = ModelFile.fromBytes(sample().toBytes(), "sample");
    assertArrayEquals(sample().params(), f.params());
    assertArrayEquals(sample().optimizerState(), f.optimizerState());
    assertEquals(42, f.optimizerSteps());
    assertArrayEquals(sample().velocity(), f.velocity());
    assertArrayEquals(new float[] {9f}, f.carried().get(1));
    assertEquals("4", ((Map<?, ?>) f.header().get("config")).get("model.hidden"));
  }

  @Test
  void rejectsAnyFlippedByteAndOtherFiles() throws IOException {
    byte[] good = sample().toBytes();
    for (int i = 8; i < good.length; i += 7) {
      byte[] bad = good.clone();
      bad[i] ^= 0x10;
      IOException e = assertThrows(IOException.class, () -> ModelFile.fromBytes(bad, "x.bin"));
      assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }
    byte[] java = {(byte) 0xAC, (byte) 0xED, 0, 5, 's', 'r', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    IOException e = assertThrows(IOException.class, () -> ModelFile.fromBytes(java, "ser.bin"));
    assertTrue(e.getMessage().contains("not a spark-lstm model"), e.getMessage());
  }
}
