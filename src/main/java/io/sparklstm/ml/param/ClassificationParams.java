package io.sparklstm.ml.param;

import io.sparklstm.nn.ModelSpec.Pooling;
import java.util.List;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;

/** Settings of sequence classification (and the tagger); {@code bidirectional} is shared. */
public interface ClassificationParams extends BidirectionalParams {
  Setting.Ints CLASSES = Setting.integer("classes", "model.classes", 10, 2, 1_000_000,
      "number of classes; labels are 0 .. classes-1. LstmClassifier, when it is not set, takes "
          + "it from the label column (StringIndexer's metadata, else the largest label + 1)");
  Setting.Ints MAX_LENGTH = Setting.integer("maxLength", "text.max.length", 200, 1, 1_000_000,
      "sequences are cut to this many steps (tokens); shorter ones are padded and masked");
  Setting.Texts POOLING = Setting.oneOf("pooling", "model.pooling", "last",
      List.of("last", "mean", "max"), "the head reads the state after the last real step, or "
          + "the mean or maximum over the real steps");

  default IntParam classes() {
    return CLASSES.param(this);
  }

  default IntParam maxLength() {
    return MAX_LENGTH.param(this);
  }

  default int getClasses() {
    return CLASSES.get(this);
  }

  default int getMaxLength() {
    return MAX_LENGTH.get(this);
  }

  default Param<String> pooling() {
    return POOLING.param(this);
  }

  default String getPooling() {
    return POOLING.get(this);
  }

  /** {@link #getPooling} as the network takes it. */
  default Pooling getPoolingKind() {
    return Pooling.of(getPooling());
  }
}
