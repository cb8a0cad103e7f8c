package io.sparklstm.io;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparklstm.data.TokenIds;
import io.sparklstm.nn.ParamLayout;
import io.sparklstm.nn.Seq2SeqSpec;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A trained encoder-decoder as one safetensors file, which is both the model the jobs read and
 * its export: every tensor of {@link ParamLayout} under its own name ({@code enc0.wx},
 * {@code enc0_reverse.wh}, {@code dec0.b}, {@code attn.w}, {@code out.w}, ...; matrices
 * [rows, cols] as the layout documents them, biases [cols]), float32, and in the metadata the
 * shape, both vocabularies, how texts split into tokens and the training settings. Reading
 * checks every tensor's name and shape against the shape.
 */
public record Seq2SeqModelFile(Seq2SeqSpec spec, TokenIds source, TokenIds target,
    String sourceSplit, String targetSplit, Map<String, String> config, float[] params)
    implements java.io.Serializable {
  /** The file name inside a run's model directory. */
  public static final String NAME = "seq2seq.safetensors";
  private static final String FORMAT = "spark-lstm-seq2seq";
  private static final ObjectMapper JSON = new ObjectMapper();

  public byte[] toBytes() throws IOException {
    ParamLayout layout = new ParamLayout(spec);
    Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
    for (ParamLayout.Tensor t : layout.tensors()) {
      float[] v = new float[t.size()];
      System.arraycopy(params, t.offset(), v, 0, v.length);
      tensors.put(t.name(), new Safetensors.Tensor(t.bias() ? List.of(t.cols())
          : List.of(t.rows(), t.cols()), v));
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("spec", JSON.writeValueAsString(spec.fields()));
    meta.put("source.vocabulary", JSON.writeValueAsString(source.tokens()));
    meta.put("target.vocabulary", JSON.writeValueAsString(target.tokens()));
    meta.put("source.tokens", sourceSplit);
    meta.put("target.tokens", targetSplit);
    meta.put("config", JSON.writeValueAsString(config));
    return Safetensors.write(tensors, meta);
  }

  /** Writes the file durably (temp file, sync, rename). */
  public void write(String file, Configuration conf) throws IOException {
    HadoopFiles.writeDurably(file, toBytes(), conf);
  }

  /** Whether {@code bytes} are a model of this kind (its metadata says so). */
  public static boolean is(byte[] bytes, String name) {
    try {
      return FORMAT.equals(Safetensors.readMetadata(bytes, name).get("format"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  public static Seq2SeqModelFile read(String file, Configuration conf) throws IOException {
    byte[] bytes = HadoopFiles.read(file, conf);
    Map<String, String> meta = Safetensors.readMetadata(bytes, file);
    if (!FORMAT.equals(meta.get("format"))) {
      throw new IOException(file + " is not a seq2seq model (its metadata has no format "
          + FORMAT + ")");
    }
    try {
      Seq2SeqSpec spec = Seq2SeqSpec.fromFields(JSON.readValue(meta.get("spec"),
          new TypeReference<Map<String, Object>>() { }));
      TypeReference<List<String>> list = new TypeReference<>() { };
      TokenIds source = new TokenIds(JSON.readValue(meta.get("source.vocabulary"), list));
      TokenIds target = new TokenIds(JSON.readValue(meta.get("target.vocabulary"), list));
      if (source.size() != spec.sourceVocab() || target.size() != spec.targetVocab()) {
        throw new IOException(file + ": vocabularies of " + source.size() + " and "
            + target.size() + " tokens for a model of " + spec.sourceVocab() + " and "
            + spec.targetVocab());
      }
      ParamLayout layout = new ParamLayout(spec);
      Map<String, Safetensors.Tensor> tensors = Safetensors.read(bytes, file);
      float[] params = new float[layout.size()];
      for (ParamLayout.Tensor t : layout.tensors()) {
        Safetensors.Tensor v = tensors.get(t.name());
        List<Integer> shape = t.bias() ? List.of(t.cols()) : List.of(t.rows(), t.cols());
        if (v == null || !v.shape().equals(shape)) {
          throw new IOException(file + ": tensor " + t.name() + " is " + (v == null ? "missing"
              : v.shape()) + "; expected " + shape);
        }
        System.arraycopy(v.values(), 0, params, t.offset(), t.size());
      }
      Map<String, String> config = JSON.readValue(meta.get("config"),
          new TypeReference<Map<String, String>>() { });
      return new Seq2SeqModelFile(spec, source, target, meta.get("source.tokens"),
          meta.get("target.tokens"), config, params);
    } catch (IOException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IOException(file + ": malformed seq2seq model metadata (" + e.getMessage() + ")",
          e);
    }
  }
}
