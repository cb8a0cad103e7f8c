package io.sparklstm.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparklstm.io.HadoopFiles;
import io.sparklstm.io.SavedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;

/**
 * Loads what {@link LstmWriter} saved: checks the class and format version in the metadata,
 * reads and verifies the model file (a wrong checksum fails naming the file), builds the stage
 * with its saved uid and sets every saved Param and default.
 */
final class LstmReader<T extends Params> extends MLReader<T> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Class<T> type;
  private final Loader<T> loader;

  /** Builds a stage from its uid and, for a model, what fitting produced. */
  @FunctionalInterface
  interface Factory<T> {
    T create(String uid, Fitted fitted, SequenceColumn column);
  }

  /** Builds a stage from its uid, its metadata and its data directory {@code PATH/data}. */
  @FunctionalInterface
  interface Loader<T> {
    T load(String uid, JsonNode metadata, String data, Configuration conf) throws IOException;
  }

  /** A reader of stages whose models keep the jobs' {@code model.bin}. */
  LstmReader(Class<T> type, Factory<T> factory) {
    this(type, (uid, m, data, conf) -> m.has("inputColumn")
        ? factory.create(uid, Fitted.of(SavedModel.read(data + "/model.bin", conf)),
            SequenceColumn.valueOf(m.get("inputColumn").asText()))
        : factory.create(uid, null, null));
  }

  /** A reader of stages that load their own data (a seq2seq model). */
  static <T extends Params> LstmReader<T> of(Class<T> type, Loader<T> loader) {
    return new LstmReader<>(type, loader);
  }

  private LstmReader(Class<T> type, Loader<T> loader) {
    this.type = type;
    this.loader = loader;
  }

  @Override
  public T load(String path) {
    Configuration conf = sc().hadoopConfiguration();
    try {
      JsonNode m = JSON.readTree(metadataLine(path, conf));
      String cls = m.path("class").asText();
      if (!cls.equals(type.getName())) {
        throw new IOException(path + " holds a " + cls + ", not a " + type.getName());
      }
      int format = m.path("sparkLstmFormat").asInt(-1);
      if (format != LstmWriter.FORMAT) {
        throw new IOException(path + " has spark-lstm format " + format + "; this build reads "
            + LstmWriter.FORMAT);
      }
      T stage = loader.load(m.path("uid").asText(), m, path + "/data", conf);
      setParams(stage, m.path("defaultParamMap"), true, path);
      setParams(stage, m.path("paramMap"), false, path);
      return stage;
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  private static String metadataLine(String path, Configuration conf) throws IOException {
    Path dir = new Path(path, "metadata");
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.isDirectory(dir)) {
      throw new IOException(path + " is not a saved spark.ml stage: no " + dir);
    }
    for (FileStatus f : fs.listStatus(dir)) {
      String name = f.getPath().getName();
      if (!name.startsWith("_") && !name.startsWith(".")) {
        String text = new String(HadoopFiles.read(f.getPath().toString(), conf),
            StandardCharsets.UTF_8).strip();
        if (!text.isEmpty()) {
          return text.lines().findFirst().orElseThrow();
        }
      }
    }
    throw new IOException(dir + " holds no metadata");
  }

  @SuppressWarnings("unchecked")
  private static void setParams(Params stage, JsonNode values, boolean defaults, String path)
      throws IOException {
    for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!stage.hasParam(e.getKey())) {
        throw new IOException(path + ": unknown parameter '" + e.getKey() + "' for "
            + stage.getClass().getSimpleName());
      }
      Param<Object> p = stage.getParam(e.getKey());
      Object value = p.jsonDecode(e.getValue().toString());
      if (defaults) {
        stage.setDefault(p, value);
      } else {
        stage.set(p, value);
      }
    }
  }
}
