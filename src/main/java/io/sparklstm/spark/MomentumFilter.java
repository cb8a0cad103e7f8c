package io.sparklstm.spark;

/**
 * Block-wise model-update filtering (Chen and Huo, ICASSP 2016), on the driver: the round's
 * update is the average minus the model the round started from; a momentum over those updates
 * is added to the starting model. With momentum 0 this is plain parameter averaging. With
 * 1 - 1/N, N workers that each took K steps move the model about as far as one worker taking
 * N K steps, which plain averaging does not.
 */
final class MomentumFilter {
  private final double momentum;
  private final double[] velocity;

  MomentumFilter(double momentum, double[] velocity) {
    this.momentum = momentum;
    this.velocity = velocity.clone();
  }

  double[] velocity() {
    return velocity.clone();
  }

  /** The next global model from the round's start and its averaged result. */
  float[] apply(float[] start, float[] average) {
    if (momentum == 0) {
      return average;
    }
    float[] next = new float[start.length];
    for (int i = 0; i < start.length; i++) {
      velocity[i] = momentum * velocity[i] + ((double) average[i] - start[i]);
      next[i] = (float) (start[i] + velocity[i]);
    }
    return next;
  }
}
