package io.sparklstm.optim;

import java.io.Serializable;

/**
 * The block momentum of parameter averaging: {@link Auto} (1 - 1/N for N partitions, which lets
 * N averaged workers progress per round like one worker taking all their steps) or a fixed value
 * ({@code 0} is plain averaging). Its text form is {@code auto} or the number, as in conf files.
 */
public sealed interface BlockMomentum extends Serializable {

  /** 1 - 1/N for N partitions. */
  record Auto() implements BlockMomentum {
    @Override
    public double forPartitions(int partitions) {
      return 1.0 - 1.0 / partitions;
    }

    @Override
    public String toString() {
      return "auto";
    }
  }

  /** The same momentum whatever the partition count. */
  record Fixed(double value) implements BlockMomentum {
    public Fixed {
      if (!(value >= 0 && value < 1)) {
        throw new IllegalArgumentException("block momentum must be in [0, 1): " + value);
      }
    }

    @Override
    public double forPartitions(int partitions) {
      return value;
    }

    @Override
    public String toString() {
      return Double.toString(value);
    }
  }

  static BlockMomentum auto() {
    return new Auto();
  }

  static BlockMomentum of(double value) {
    return new Fixed(value);
  }

  /** {@code auto} or a number; null when the text is neither. */
  static BlockMomentum parseOrNull(String text) {
    if (text.equals("auto")) {
      return auto();
    }
    try {
      double v = Double.parseDouble(text);
      return v >= 0 && v < 1 ? of(v) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The momentum in force with {@code partitions} partitions. */
  double forPartitions(int partitions);
}
