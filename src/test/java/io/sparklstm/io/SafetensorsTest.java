package io.sparklstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklstm.nn.Dropout;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.ParamLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The export of a bidirectional model has nn.LSTM(bidirectional=True)'s names and shapes. */
class SafetensorsTest {
  @Test
  void bidirectionalLayersExportWithPyTorchsReverseNames() {
    int e = 3;
    int h = 4;
    int v = 5;
    ModelSpec spec = new ModelSpec(InputKind.EMBEDDING, 7, e, h, 2, HeadKind.LAST_STEP, v)
        .with(true, ModelSpec.Pooling.MEAN, new Dropout(0.1, 0, 0));
    ParamLayout layout = new ParamLayout(spec);
    float[] params = new float[layout.size()];
    for (int i = 0; i < params.length; i++) {
      params[i] = i;
    }
    Map<String, Safetensors.Tensor> dict = Safetensors.stateDict(spec, params);
    List<String> expected = new ArrayList<>(List.of("embedding.weight"));
    for (int l = 0; l < 2; l++) {
      for (String suffix : List.of("_l" + l, "_l" + l + "_reverse")) {
        for (String t : List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh")) {
          expected.add("lstm." + t + suffix);
        }
      }
    }
    expected.addAll(List.of("out.weight", "out.bias"));
    assertEquals(expected, List.copyOf(dict.keySet()), "PyTorch's state_dict order");
    assertEquals(List.of(4 * h, e), dict.get("lstm.weight_ih_l0_reverse").shape());
    assertEquals(List.of(4 * h, 2 * h), dict.get("lstm.weight_ih_l1").shape());
    assertEquals(List.of(4 * h, 2 * h), dict.get("lstm.weight_ih_l1_reverse").shape());
    assertEquals(List.of(4 * h, h), dict.get("lstm.weight_hh_l1_reverse").shape());
    assertEquals(List.of(v, 2 * h), dict.get("out.weight").shape());
    ParamLayout.Tensor b = layout.get("lstm1_reverse.b");
    float[] bias = new float[b.size()];
    System.arraycopy(params, b.offset(), bias, 0, bias.length);
    assertArrayEquals(bias, dict.get("lstm.bias_ih_l1_reverse").values());
    // weight_hh_l0_reverse[g][j] is our lstm0_reverse.wh[j][g] (transposed)
    ParamLayout.Tensor wh = layout.get("lstm0_reverse.wh");
    assertEquals(params[wh.offset() + 2 * wh.cols() + 9],
        dict.get("lstm.weight_hh_l0_reverse").values()[9 * h + 2]);
  }
}
