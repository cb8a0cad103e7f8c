package io.sparklstm.nn;

import org.nd4j.linalg.api.buffer.DataType;

/** Storage precision of every buffer of a network: float for training, double for gradient checks. */
public enum Precision {
  FLOAT(DataType.FLOAT),
  DOUBLE(DataType.DOUBLE);

  final DataType dataType;

  Precision(DataType dataType) {
    this.dataType = dataType;
  }
}
