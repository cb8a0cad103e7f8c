package io.sparklstm.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparklstm.data.Vocabulary;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ParamLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Export in the safetensors format with PyTorch's names and layouts, so that
 * <pre>{@code
 * model = Net()  # nn.Embedding (embedding input), nn.LSTM(I, H, L), nn.Linear(H, V)
 * model.load_state_dict(safetensors.torch.load_file("model.safetensors"))
 * }</pre>
 * accepts it. nn.LSTM keeps gates in the order i, f, g, o like this engine; its weights are
 * [4H x I] where ours are [I x 4H], so they are transposed. PyTorch has two biases per layer: our
 * single bias goes to {@code bias_ih_l{k}} and {@code bias_hh_l{k}} is zero. Token input (one-hot)
 * exports as an LSTM with input size V, fed one-hot vectors. Names: {@code embedding.weight}
 * [V x E], {@code lstm.weight_ih_l{k}}, {@code lstm.weight_hh_l{k}}, {@code lstm.bias_ih_l{k}},
 * {@code lstm.bias_hh_l{k}}, {@code out.weight} [V x H], {@code out.bias} [V]. Little-endian F32.
 * A bidirectional model is {@code nn.LSTM(I, H, L, bidirectional=True)}: its backward directions
 * add the same four tensors with the suffix {@code _reverse}, layers above the first take 2H
 * inputs and {@code out.weight} is [V x 2H] (forward states first, as PyTorch concatenates them).
 * Pooling and dropout are no tensors; {@code spec} in the metadata names them.
 *
 * <p>{@code __metadata__} ({@link #metadata}) carries what it takes to use the weights without
 * this project: {@code spec}, the shape as JSON; for text models {@code vocabulary}, a JSON array
 * of the tokens in id order (id 0 is {@code <unk>}, the newline is {@code "\n"}), and
 * {@code tokens}, {@code char} (a token per code point) or {@code word} (whitespace-separated);
 * for a tagger {@code tags}, a JSON array of the tags in output order (row k of
 * {@code out.weight} scores tag k).
 */
public final class Safetensors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Safetensors() {}

  /** A named tensor: shape and row-major values. */
  public record Tensor(List<Integer> shape, float[] values) {}

  /** The PyTorch state dict of a model, in export order. */
  public static Map<String, Tensor> stateDict(ModelSpec spec, float[] params) {
    ParamLayout layout = new ParamLayout(spec);
    Map<String, Tensor> out = new LinkedHashMap<>();
    if (spec.input() == ModelSpec.InputKind.EMBEDDING) {
      out.put("embedding.weight", copy(layout.get("embed"), params, false));
    }
    for (int l = 0; l < spec.layers(); l++) {
      for (int d = 0; d < spec.directions(); d++) {
        String ours = ParamLayout.layerName(l, d == 1);
        String theirs = "_l" + l + (d == 1 ? "_reverse" : "");
        out.put("lstm.weight_ih" + theirs, copy(layout.get(ours + ".wx"), params, true));
        out.put("lstm.weight_hh" + theirs, copy(layout.get(ours + ".wh"), params, true));
        ParamLayout.Tensor b = layout.get(ours + ".b");
        out.put("lstm.bias_ih" + theirs, new Tensor(List.of(b.size()), slice(b, params)));
        out.put("lstm.bias_hh" + theirs, new Tensor(List.of(b.size()), new float[b.size()]));
      }
    }
    out.put("out.weight", copy(layout.get("out.w"), params, true));
    ParamLayout.Tensor ob = layout.get("out.b");
    out.put("out.bias", new Tensor(List.of(ob.size()), slice(ob, params)));
    return out;
  }

  private static float[] slice(ParamLayout.Tensor t, float[] params) {
    float[] v = new float[t.size()];
    System.arraycopy(params, t.offset(), v, 0, v.length);
    return v;
  }

  private static Tensor copy(ParamLayout.Tensor t, float[] params, boolean transpose) {
    if (!transpose) {
      return new Tensor(List.of(t.rows(), t.cols()), slice(t, params));
    }
    float[] v = new float[t.size()];
    for (int r = 0; r < t.rows(); r++) {
      for (int c = 0; c < t.cols(); c++) {
        v[c * t.rows() + r] = params[t.offset() + r * t.cols() + c];
      }
    }
    return new Tensor(List.of(t.cols(), t.rows()), v);
  }

  /** The export's {@code __metadata__}: format, source, shape and (text models) vocabulary. */
  public static Map<String, String> metadata(ModelSpec spec, Vocabulary vocabulary)
      throws IOException {
    return metadata(spec, vocabulary, null);
  }

  /** {@link #metadata(ModelSpec, Vocabulary)}, and a tagger's {@code tags} in output order. */
  public static Map<String, String> metadata(ModelSpec spec, Vocabulary vocabulary,
      List<String> tags) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("format", "pt");
    m.put("source", "spark-lstm");
    m.put("spec", JSON.writeValueAsString(spec.fields()));
    if (vocabulary != null) {
      m.put("tokens", vocabulary.words() ? "word" : "char");
      vocabulary.tokenizer().fields().forEach((k, v) -> m.put(k, String.valueOf(v)));
      m.put("vocabulary", JSON.writeValueAsString(vocabulary.tokens()));
    }
    if (tags != null) {
      m.put("tags", JSON.writeValueAsString(tags));
    }
    return m;
  }

  /** The {@code __metadata__} of a safetensors file's bytes (empty if it has none). */
  @SuppressWarnings("unchecked")
  public static Map<String, String> readMetadata(byte[] bytes, String name) throws IOException {
    Object m = header(bytes, name).get("__metadata__");
    return m == null ? Map.of() : (Map<String, String>) m;
  }

  public static byte[] write(Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("__metadata__", metadata);
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      long end = offset + 4L * e.getValue().values().length;
      header.put(e.getKey(), Map.of("dtype", "F32", "shape", e.getValue().shape(),
          "data_offsets", List.of(offset, end)));
      offset = end;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int pad = (8 - json.length % 8) % 8;
    ByteBuffer buf = ByteBuffer.allocate(8 + json.length + pad + (int) offset)
        .order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(json.length + pad);
    buf.put(json);
    for (int i = 0; i < pad; i++) {
      buf.put((byte) ' ');
    }
    for (Tensor t : tensors.values()) {
      for (float f : t.values()) {
        buf.putFloat(f);
      }
    }
    return buf.array();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> header(byte[] bytes, String name) throws IOException {
    if (bytes.length < 8) {
      throw new IOException(name + " is too short for safetensors");
    }
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 2 || 8 + n > bytes.length) {
      throw new IOException(name + " declares a header of " + n + " bytes");
    }
    return JSON.readValue(new String(bytes, 8, (int) n, StandardCharsets.UTF_8),
        LinkedHashMap.class);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Tensor> read(byte[] bytes, String name) throws IOException {
    Map<String, Object> header = header(bytes, name);
    Map<String, Tensor> out = new LinkedHashMap<>();
    int base = 8 + (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    for (Map.Entry<String, Object> e : header.entrySet()) {
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      Map<String, Object> info = (Map<String, Object>) e.getValue();
      if (!"F32".equals(info.get("dtype"))) {
        throw new IOException(name + ": tensor " + e.getKey() + " is " + info.get("dtype"));
      }
      List<Number> range = (List<Number>) info.get("data_offsets");
      int from = base + range.get(0).intValue();
      int to = base + range.get(1).intValue();
      if (from < base || to > bytes.length || to < from) {
        throw new IOException(name + ": tensor " + e.getKey() + " lies outside the file");
      }
      float[] v = new float[(to - from) / 4];
      ByteBuffer data = ByteBuffer.wrap(bytes, from, to - from).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < v.length; i++) {
        v[i] = data.getFloat();
      }
      List<Integer> shape = ((List<Number>) info.get("shape")).stream().map(Number::intValue)
          .toList();
      out.put(e.getKey(), new Tensor(shape, v));
    }
    return out;
  }
}
