package io.sparklstm.ml.param;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Params;

/** Settings of sequence classification only. */
public interface ClassificationParams extends Params {
  Setting.Ints CLASSES = Setting.integer("classes", "model.classes", 10, 2, 1_000_000,
      "number of classes; labels are 0 .. classes-1. LstmClassifier, when it is not set, takes "
          + "it from the label column (StringIndexer's metadata, else the largest label + 1)");
  Setting.Ints MAX_LENGTH = Setting.integer("maxLength", "text.max.length", 200, 1, 1_000_000,
      "sequences are cut to this many steps (tokens); shorter ones are padded and masked");

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
}
