package io.sparklstm.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparklstm.io.HadoopFiles;
import io.sparklstm.io.SavedModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLWriter;

/**
 * Saves a stage in spark.ml's layout: {@code PATH/metadata/part-00000}, one line of JSON (class,
 * timestamp, sparkVersion, uid, paramMap, defaultParamMap, as {@code DefaultParamsWriter} writes
 * it, plus this format's version and the model's input column kind) and, for a fitted model,
 * {@code PATH/data/model.bin}, the jobs' checked model file (magic number, JSON header, CRC-32),
 * which {@code jobs/generate} and {@code jobs/export} read as it is (a seq2seq model:
 * {@code PATH/data/seq2seq.safetensors}, which {@code jobs/translate} reads).
 *
 * <p>The stage is written to a temporary directory beside PATH and renamed into place, so PATH
 * never holds half a model; an existing PATH is replaced only after {@link #overwrite()}.
 */
final class LstmWriter extends MLWriter {
  static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Params stage;
  private final Data data;
  private final SequenceColumn column;

  /** What a fitted model writes into {@code PATH/data}. */
  @FunctionalInterface
  interface Data {
    void write(String dir, Configuration conf) throws IOException;
  }

  /** {@code data} and {@code column} are null for an estimator. */
  LstmWriter(Params stage, SavedModel data, SequenceColumn column) {
    this(stage, data == null ? null : (dir, conf) -> data.write(dir + "/model.bin", conf),
        column);
  }

  private LstmWriter(Params stage, Data data, SequenceColumn column) {
    this.stage = stage;
    this.data = data;
    this.column = column;
  }

  /** A writer of a model whose {@code data} is not the jobs' model.bin (a seq2seq model's). */
  static LstmWriter of(Params stage, Data data) {
    return new LstmWriter(stage, data, null);
  }

  @Override
  public void save(String path) throws IOException {
    Configuration conf = sc().hadoopConfiguration();
    FileSystem fs = new Path(path).getFileSystem(conf);
    Path target = fs.makeQualified(new Path(path));
    if (fs.exists(target) && !shouldOverwrite()) {
      throw new IOException("Path " + path + " already exists. To overwrite it, use "
          + "write().overwrite().save(path)");
    }
    Path tmp = HadoopFiles.temporary(target);
    try {
      saveImpl(tmp.toString());
      if (fs.exists(target) && !fs.delete(target, true)) {
        throw new IOException("cannot replace " + path);
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("cannot rename " + tmp + " to " + path);
      }
    } finally {
      fs.delete(tmp, true);
    }
  }

  @Override
  public void saveImpl(String path) {
    Configuration conf = sc().hadoopConfiguration();
    try {
      HadoopFiles.writeAtomically(path + "/metadata/part-00000",
          (metadata() + "\n").getBytes(StandardCharsets.UTF_8), conf);
      if (data != null) {
        data.write(path + "/data", conf);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private String metadata() throws IOException {
    ObjectNode m = JSON.createObjectNode();
    m.put("class", stage.getClass().getName());
    m.put("timestamp", System.currentTimeMillis());
    m.put("sparkVersion", sc().version());
    m.put("uid", stage.uid());
    ObjectNode set = m.putObject("paramMap");
    ObjectNode defaults = m.putObject("defaultParamMap");
    for (Param<?> p : stage.params()) {
      Param<Object> param = (Param<Object>) p;
      if (stage.isSet(param)) {
        set.set(param.name(), JSON.readTree(param.jsonEncode(stage.get(param).get())));
      }
      if (stage.hasDefault(param)) {
        defaults.set(param.name(), JSON.readTree(param.jsonEncode(stage.getDefault(param).get())));
      }
    }
    m.put("sparkLstmFormat", FORMAT);
    if (column != null) {
      m.put("inputColumn", column.name());
    }
    return JSON.writeValueAsString(m);
  }
}
