package io.sparklstm.optim;

import java.io.Serializable;

/**
 * The block momentum of parameter averaging: {@link Auto} (1 - 1/N for N partitions, which lets
 * N averaged workers progress per round like one worker taking all their steps), {@link Sqrt}
 * (1 - 1/sqrt(N)) or a fixed value ({@code 0} is plain averaging). Its text form is {@code
 * auto}, {@code sqrt} or the number, as in conf files.
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

  /**
   * 1 - 1/sqrt(N) for N partitions: a round's update amplified sqrt(N) times in the steady state.
   * Why: when one batch is split over the partitions, each averaged round already carries the
   * drift of the whole batch, but its workers' small batches make Adam's normalised steps
   * shorter by up to sqrt(N) where noise dominates (issue 15's study); 1 - 1/N overshoots.
   */
  record Sqrt() implements BlockMomentum {
    @Override
    public double forPartitions(int partitions) {
      return 1.0 - 1.0 / Math.sqrt(partitions);
    }

    @Override
    public String toString() {
      return "sqrt";
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

  static BlockMomentum sqrt() {
    return new Sqrt();
  }

  /** {@code auto}, {@code sqrt} or a number; null when the text is none of them. */
  static BlockMomentum parseOrNull(String text) {
    if (text.equals("auto")) {
      return auto();
    }
    if (text.equals("sqrt")) {
      return sqrt();
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
