package io.sparklstm.optim;

/** The learning rate as a function of the 0-based update count. */
public sealed interface LearningRateSchedule extends java.io.Serializable {

  double rate(double base, long step);

  /** The base rate throughout. */
  record Constant() implements LearningRateSchedule {
    @Override
    public double rate(double base, long step) {
      return base;
    }
  }

  /** Multiplied by {@code gamma} every {@code every} updates. */
  record Step(long every, double gamma) implements LearningRateSchedule {
    public Step {
      if (every < 1 || gamma <= 0) {
        throw new IllegalArgumentException("step schedule needs every >= 1 and gamma > 0");
      }
    }

    @Override
    public double rate(double base, long step) {
      return base * Math.pow(gamma, step / every);
    }
  }

  /** Multiplied by {@code gamma} at every update. */
  record Exponential(double gamma) implements LearningRateSchedule {
    public Exponential {
      if (gamma <= 0 || gamma > 1) {
        throw new IllegalArgumentException("exponential decay needs 0 < gamma <= 1: " + gamma);
      }
    }

    @Override
    public double rate(double base, long step) {
      return base * Math.pow(gamma, step);
    }
  }

  /** Half a cosine from the base rate down to {@code floor} over {@code total} updates. */
  record Cosine(long total, double floor) implements LearningRateSchedule {
    public Cosine {
      if (total < 1 || floor < 0) {
        throw new IllegalArgumentException("cosine decay needs total >= 1 and floor >= 0");
      }
    }

    @Override
    public double rate(double base, long step) {
      double progress = Math.min(1.0, (double) step / total);
      return floor + (base - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
  }

  /**
   * Linear warmup over the first {@code updates} updates on top of {@code then}: update k
   * (0-based) takes (k + 1) / updates of {@code then}'s rate until k + 1 reaches
   * {@code updates}, then all of it. {@code then} counts updates from the first, as without
   * warmup.
   */
  record Warmup(long updates, LearningRateSchedule then) implements LearningRateSchedule {
    public Warmup {
      if (updates < 1) {
        throw new IllegalArgumentException("warmup needs at least one update: " + updates);
      }
    }

    @Override
    public double rate(double base, long step) {
      double rate = then.rate(base, step);
      return step + 1 >= updates ? rate : rate * (step + 1) / updates;
    }
  }
}
