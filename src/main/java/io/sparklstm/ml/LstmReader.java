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
  private final Factory<T> factory;

  /** Builds a stage from its uid and, for a model, what fitting produced. */
  @FunctionalInterface
  interface Factory<T> {
    T create(String uid, Fitted fitted, SequenceColumn column);
  }

  LstmReader(Class<T> type, Factory<T> factory) {
    this.type = type;
    this.factory = factory;
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
      Fitted fitted = null;
      SequenceColumn column = null;
      if (m.has("inputColumn")) {
        fitted = Fitted.of(SavedModel.read(path + "/data/model.bin", conf));
        column = SequenceColumn.valueOf(m.get("inputColumn").asText());
      }
      T stage = factory.create(m.path("uid").asText(), fitted, column);
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
