package io.sparklstm.nn;

/**
 * SplitMix64: a tiny, fully specified generator, so that a seed gives the same numbers on every
 * JVM and Java version (the determinism promise covers initialisation, shuffles and sampling).
 * Every use derives its generator from the seed and its position (epoch, partition), so
 * checkpoints need no generator state.
 */
public final class Rng {
  private long state;

  public Rng(long seed) {
    this.state = seed;
  }

  /** An independent generator for a named sub-stream (e.g. partition i of epoch e). */
  public static Rng derive(long seed, long... path) {
    long s = mix(seed);
    for (long p : path) {
      s = mix(s ^ mix(p + 0x632BE59BD9B4E019L));
    }
    return new Rng(s);
  }

  /** Starts over from {@code seed}: the numbers of {@code new Rng(seed)}, without a new object. */
  public void reset(long seed) {
    this.state = seed;
  }

  public long nextLong() {
    state += 0x9E3779B97F4A7C15L;
    return mix(state);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound), without modulo bias. */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    // java.util.Random's rejection method on 31 random bits: no modulo bias.
    int r = (int) (nextLong() >>> 33);
    int m = bound - 1;
    if ((bound & m) == 0) {
      return (int) ((bound * (long) r) >> 31);
    }
    for (int u = r; u - (r = u % bound) + m < 0; u = (int) (nextLong() >>> 33)) {
      // rejected: draw again
    }
    return r;
  }

  public double uniform(double lo, double hi) {
    return lo + (hi - lo) * nextDouble();
  }

  /** Standard normal by Box-Muller (one value per call; simple beats fast here). */
  public double nextGaussian() {
    double u = 1.0 - nextDouble();
    double v = nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
  }

  /** Fisher-Yates shuffle of the whole array. */
  public void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** SplitMix64's finalizer: a bijection that spreads every input bit over the output. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
