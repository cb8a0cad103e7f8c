package io.sparklstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.data.TokenIds;
import io.sparklstm.nn.ParamLayout;
import io.sparklstm.nn.Seq2SeqSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seq2seq model file: safetensors under the layout's names, read back exactly. */
class Seq2SeqModelFileTest {
  @TempDir
  Path dir;

  @Test
  void roundTripsUnderTheDocumentedNames() throws Exception {
    Seq2SeqSpec spec = new Seq2SeqSpec(4, 5, 3, 2, true, true);
    float[] params = new float[new ParamLayout(spec).size()];
    for (int i = 0; i < params.length; i++) {
      params[i] = i * 0.25f - 7;
    }
    Seq2SeqModelFile m = new Seq2SeqModelFile(spec, TokenIds.source(List.of("b", "a", "c")),
        TokenIds.target(List.of("X", "Y", "Z")), "chars", "space", Map.of("task", "seq2seq"),
        params);
    String file = dir.resolve("m.safetensors").toString();
    m.write(file, new Configuration());
    Seq2SeqModelFile back = Seq2SeqModelFile.read(file, new Configuration());
    assertEquals(spec, back.spec());
    assertArrayEquals(params, back.params());
    assertEquals(List.of("<unk>", "a", "b", "c"), back.source().tokens());
    assertEquals(List.of("</s>", "<unk>", "X", "Y", "Z"), back.target().tokens());
    Map<String, Safetensors.Tensor> tensors = Safetensors.read(Files.readAllBytes(Path.of(file)),
        file);
    assertEquals(List.of("enc0.wx", "enc0.wh", "enc0.b", "enc0_reverse.wx", "enc0_reverse.wh",
        "enc0_reverse.b", "enc1.wx", "enc1.wh", "enc1.b", "enc1_reverse.wx", "enc1_reverse.wh",
        "enc1_reverse.b", "dec0.wx", "dec0.wh", "dec0.b", "dec1.wx", "dec1.wh", "dec1.b",
        "attn.w", "attn.b", "out.w", "out.b"), List.copyOf(tensors.keySet()));
    assertEquals(List.of(4, 12), tensors.get("enc0.wx").shape());
    assertEquals(List.of(6, 12), tensors.get("enc1.wx").shape());
    assertEquals(List.of(5, 12), tensors.get("dec0.wx").shape());
    assertEquals(List.of(6, 3), tensors.get("attn.w").shape());
    assertEquals(List.of(3, 5), tensors.get("out.w").shape());
    assertEquals(List.of(5), tensors.get("out.b").shape());
  }

  @Test
  void anotherFileIsRefused() throws Exception {
    Path other = Files.write(dir.resolve("x.safetensors"), Safetensors.write(Map.of(),
        Map.of("format", "something else")));
    Exception e = assertThrows(java.io.IOException.class,
        () -> Seq2SeqModelFile.read(other.toString(), new Configuration()));
    assertTrue(e.getMessage().contains("is not a seq2seq model"), e.getMessage());
  }
}
