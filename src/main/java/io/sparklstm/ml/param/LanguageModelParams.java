package io.sparklstm.ml.param;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Params;

/** Settings of language modelling only. */
public interface LanguageModelParams extends Params {
  Setting.Ints WINDOW = Setting.integer("window", "train.window", 100, 1, 1_000_000,
      "TBPTT window in steps; also the steps scored at a time by transform");
  Setting.Numbers VALIDATION_FRACTION = Setting.number("validationFraction",
      "data.validation.fraction", 0.1, 0, 0.5, "the last fraction of the text is held out of "
          + "training and evaluated after every epoch");

  default IntParam window() {
    return WINDOW.param(this);
  }

  default DoubleParam validationFraction() {
    return VALIDATION_FRACTION.param(this);
  }

  default int getWindow() {
    return WINDOW.get(this);
  }

  default double getValidationFraction() {
    return VALIDATION_FRACTION.get(this);
  }
}
