package io.sparklstm.ml.param;

import io.sparklstm.nn.Dropout;
import java.util.List;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/** The network's shape: how steps are fed in, the stacked LSTM layers, and their dropout. */
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
  Setting.Numbers DROPOUT_INPUT = Setting.probability("dropoutInput", "model.dropout.input",
      "dropout on every LSTM layer's input in training (per step and unit); 0: off");
  Setting.Numbers DROPOUT_RECURRENT = Setting.probability("dropoutRecurrent",
      "model.dropout.recurrent", "dropout on h(t-1) where it feeds the gates, one mask per "
          + "sequence reused at every step (variational); 0: off");
  Setting.Numbers DROPOUT_OUTPUT = Setting.probability("dropoutOutput", "model.dropout.output",
      "dropout on every LSTM layer's output (the top layer's: what the head reads) in training; "
          + "0: off");

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

  default DoubleParam dropoutInput() {
    return DROPOUT_INPUT.param(this);
  }

  default DoubleParam dropoutRecurrent() {
    return DROPOUT_RECURRENT.param(this);
  }

  default DoubleParam dropoutOutput() {
    return DROPOUT_OUTPUT.param(this);
  }

  /** The three dropout settings as the network takes them. */
  default Dropout getDropout() {
    return new Dropout(DROPOUT_INPUT.get(this), DROPOUT_RECURRENT.get(this),
        DROPOUT_OUTPUT.get(this));
  }
}
