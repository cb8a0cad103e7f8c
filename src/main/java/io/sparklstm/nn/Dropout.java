package io.sparklstm.nn;

/**
 * Dropout probabilities of a network, applied only by a training pass
 * ({@link LstmNetwork#forwardBackward(Batch, RecurrentState, LossTotals, long)}); evaluation and
 * inference use every unit. Kept units are scaled by 1/(1 - p) (inverted dropout), so a trained
 * model is used as it is.
 *
 * @param input on every layer's input, drawn per step and element (token input: per step, the
 *     whole one-hot vector)
 * @param recurrent on h_{t-1} where it feeds the gates, one mask per sequence and window reused at
 *     every step (variational, Gal and Ghahramani 2016), for each layer and direction
 * @param output on every layer's output, per step and element; for the top layer on what the head
 *     reads (every step, or the pooled state). Between two layers the lower one's output dropout
 *     and the upper one's input dropout act together: a unit is kept with probability
 *     (1 - output)(1 - input)
 */
public record Dropout(double input, double recurrent, double output)
    implements java.io.Serializable {
  public static final Dropout NONE = new Dropout(0, 0, 0);

  public Dropout {
    for (double p : new double[] {input, recurrent, output}) {
      if (!(p >= 0 && p < 1)) {
        throw new IllegalArgumentException("dropout probabilities must be in [0, 1): " + p);
      }
    }
  }

  /** The dropout of a model file's shape fields; absent fields (older files) read as 0. */
  static Dropout fromFields(java.util.Map<String, Object> f) {
    return new Dropout(number(f, "dropoutInput"), number(f, "dropoutRecurrent"),
        number(f, "dropoutOutput"));
  }

  private static double number(java.util.Map<String, Object> f, String key) {
    return ((Number) f.getOrDefault(key, 0)).doubleValue();
  }

  public boolean any() {
    return input > 0 || recurrent > 0 || output > 0;
  }

  /** A training pass's mask source: {@code rng} reset to {@code seed}; null without dropout. */
  Rng masks(Rng rng, long seed) {
    if (!any()) {
      return null;
    }
    rng.reset(seed);
    return rng;
  }

  /** Fails for a model with dropout, whose training passes need a mask seed each. */
  void requireNone() {
    if (any()) {
      throw new IllegalStateException("a model with dropout trains with a mask seed per step");
    }
  }

  /** The drop probability between layer l's output and layer l+1's input. */
  double between() {
    return 1 - (1 - output) * (1 - input);
  }

  /**
   * The mask seed of one training step: what a step draws follows from the run's seed and where
   * the step stands (epoch, shard, step in the shard's epoch), never from which task or thread
   * runs it. 0 (unused) for a network without dropout.
   */
  public long stepSeed(long seed, int epoch, int shard, long step) {
    return any() ? Rng.derive(seed, 0xD809, epoch, shard, step).nextLong() : 0;
  }

  /**
   * Fills {@code n} entries of {@code mask} from {@code at}: 0 with probability p, else 1/(1-p).
   */
  static void draw(Vec mask, int at, int n, double p, Rng rng) {
    double kept = 1 / (1 - p);
    for (int i = at, end = at + n; i < end; i++) {
      mask.set(i, rng.nextDouble() < p ? 0 : kept);
    }
  }

  /** {@code v[at..at+n) *= mask[maskAt..maskAt+n)}. */
  static void apply(Vec v, int at, Vec mask, int maskAt, int n) {
    for (int i = 0; i < n; i++) {
      v.set(at + i, v.get(at + i) * mask.get(maskAt + i));
    }
  }
}
