package io.sparklstm.ml.param;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.Params;

/** Whether the LSTM layers (a seq2seq model's encoder) also read each sequence backward. */
public interface BidirectionalParams extends Params {
  Setting.Flags BIDIRECTIONAL = Setting.flag("bidirectional", "model.bidirectional", false,
      "every layer also reads each sequence backward from its last real step; the next layer "
          + "and the head read both directions");

  default BooleanParam bidirectional() {
    return BIDIRECTIONAL.param(this);
  }

  default boolean getBidirectional() {
    return BIDIRECTIONAL.get(this);
  }
}
