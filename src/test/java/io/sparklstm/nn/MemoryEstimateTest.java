package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * The size estimates that memory checks rely on, against what the layout and the constructor
 * really take: a buffer added to the network without its share in the estimate fails here.
 */
class MemoryEstimateTest {
  private static final List<ModelSpec> SPECS = List.of(
      ModelSpec.languageModel(81, 256, 2),
      new ModelSpec(InputKind.EMBEDDING, 5000, 64, 128, 3, HeadKind.LAST_STEP, 7),
      new ModelSpec(InputKind.DENSE, 28, 0, 96, 1, HeadKind.LAST_STEP, 10),
      new ModelSpec(InputKind.EMBEDDING, 5000, 64, 128, 2, HeadKind.LAST_STEP, 7)
          .with(true, ModelSpec.Pooling.MAX, new Dropout(0.2, 0.3, 0.4)),
      ModelSpec.languageModel(81, 256, 2).with(false, ModelSpec.Pooling.LAST,
          new Dropout(0.1, 0.2, 0.3)));

  @Test
  void theParameterCountIsTheLayoutsSize() {
    for (ModelSpec s : SPECS) {
      assertEquals(new ParamLayout(s).size(), ParamLayout.count(s), s.toString());
    }
    // Too large for one buffer, still counted.
    assertEquals((81L + 100_000 + 1) * 400_000 + 100_000L * 81 + 81,
        ParamLayout.count(ModelSpec.languageModel(81, 100_000, 1)));
  }

  /**
   * The process grows by what a network's buffers take (zero-filled, so every page is resident),
   * give or take the JVM's own noise. The JVM can also shrink while we measure: G1 gives heap
   * back to the system concurrently after the System.gc() here, which once made a growth of 233
   * MB out of 329 MB allocated on a loaded machine. So each spec gets three tries, each with a
   * fresh network; a wrong estimate misses all three.
   */
  @Test
  void theNetworksNativeBytesAreWhatItAllocates() {
    List<LstmNetwork> alive = new java.util.ArrayList<>(); // none freed while measuring
    alive.add(new LstmNetwork(SPECS.get(0), Precision.FLOAT, 1, 1)); // loads ND4J first
    for (ModelSpec s : SPECS) {
      int batch = 64;
      int steps = s.input() == InputKind.TOKENS ? 300 : 100;
      double expected = LstmNetwork.bytesNeeded(s, Precision.FLOAT, batch, steps);
      List<Long> grown = new java.util.ArrayList<>();
      boolean close = false;
      for (int attempt = 0; attempt < 3 && !close; attempt++) {
        System.gc();
        long before = Pointer.physicalBytes();
        alive.add(new LstmNetwork(s, Precision.FLOAT, batch, steps));
        long grew = Pointer.physicalBytes() - before;
        grown.add(grew);
        close = Math.abs(grew - expected) < 0.1 * expected + (8 << 20);
      }
      assertTrue(close, s + ": estimated " + expected + " bytes, the process grew by " + grown);
    }
  }
}
