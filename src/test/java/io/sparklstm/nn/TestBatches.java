package io.sparklstm.nn;

import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;

/** Random windows, states and small helpers shared by the engine tests. */
final class TestBatches {
  private TestBatches() {}

  /**
   * A random window for {@code spec}; with {@code ragged}, sequence b is padded after
   * {@code steps - b} steps (so every batch mixes lengths) and one interior step is padded too.
   */
  static Batch random(ModelSpec spec, int bsz, int steps, long seed, boolean ragged) {
    Rng rng = new Rng(seed);
    int rows = bsz * steps;
    int[] tokens = null;
    float[] features = null;
    if (spec.input() == InputKind.DENSE) {
      features = new float[rows * spec.inputSize()];
      for (int i = 0; i < features.length; i++) {
        features[i] = (float) rng.uniform(-1, 1);
      }
    } else {
      tokens = new int[rows];
      for (int r = 0; r < rows; r++) {
        tokens[r] = rng.nextInt(spec.inputSize());
      }
    }
    boolean everyStep = spec.head() == HeadKind.EVERY_STEP;
    int[] targets = new int[everyStep ? rows : bsz];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = rng.nextInt(spec.outputSize());
    }
    boolean[] mask = null;
    if (ragged) {
      mask = new boolean[rows];
      for (int t = 0; t < steps; t++) {
        for (int b = 0; b < bsz; b++) {
          mask[t * bsz + b] = t < Math.max(1, steps - b);
        }
      }
      if (steps > 2) {
        mask[bsz] = false; // step 1 of sequence 0: an interior padded step
      }
    }
    return new Batch(bsz, steps, tokens, features, targets, mask);
  }

  static RecurrentState randomState(LstmNetwork net, int bsz, long seed) {
    Rng rng = new Rng(seed);
    RecurrentState s = RecurrentState.zeros(net, bsz);
    for (int l = 0; l < s.layers(); l++) {
      for (int i = 0; i < s.h(l).size(); i++) {
        s.h(l).set(i, rng.uniform(-0.5, 0.5));
        s.c(l).set(i, rng.uniform(-1, 1));
      }
    }
    return s;
  }

  static RecurrentState copy(LstmNetwork net, RecurrentState from) {
    RecurrentState s = RecurrentState.zeros(net, from.batch());
    for (int l = 0; l < s.layers(); l++) {
      from.h(l).copyTo(0, s.h(l), 0, s.h(l).size());
      from.c(l).copyTo(0, s.c(l), 0, s.c(l).size());
    }
    return s;
  }

  static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
