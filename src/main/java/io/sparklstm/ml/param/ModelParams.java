package io.sparklstm.ml.param;

import java.util.List;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/** The network's shape: how steps are fed in, and the stacked LSTM layers. */
public interface ModelParams extends Params {
  Setting.Texts INPUT_KIND = Setting.oneOf("inputKind", "model.input", "tokens",
      List.of("tokens", "embedding", "dense"), "tokens: one-hot ids; embedding: a learned "
          + "table; dense: float features (a dense features column implies it)");
  Setting.Ints EMBEDDING_SIZE = Setting.integer("embeddingSize", "model.embedding", 64, 1,
      100_000, "embedding width when inputKind = embedding");
  Setting.Ints HIDDEN_SIZE = Setting.integer("hiddenSize", "model.hidden", 256, 1, 100_000,
      "units per LSTM layer");
  Setting.Ints NUM_LAYERS = Setting.integer("numLayers", "model.layers", 2, 1, 64,
      "stacked LSTM layers");

  default Param<String> inputKind() {
    return INPUT_KIND.param(this);
  }

  default IntParam embeddingSize() {
    return EMBEDDING_SIZE.param(this);
  }

  default IntParam hiddenSize() {
    return HIDDEN_SIZE.param(this);
  }

  default IntParam numLayers() {
    return NUM_LAYERS.param(this);
  }

  default String getInputKind() {
    return INPUT_KIND.get(this);
  }

  default int getEmbeddingSize() {
    return EMBEDDING_SIZE.get(this);
  }

  default int getHiddenSize() {
    return HIDDEN_SIZE.get(this);
  }

  default int getNumLayers() {
    return NUM_LAYERS.get(this);
  }
}
