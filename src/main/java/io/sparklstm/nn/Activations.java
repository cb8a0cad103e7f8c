package io.sparklstm.nn;

/** Scalar activations on {@code Math.exp}, which the JIT turns into an intrinsic. */
final class Activations {
  private Activations() {}

  static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }

  /** tanh(x) = (1 - e^{-2|x|}) / (1 + e^{-2|x|}) with the sign of x; faster than Math.tanh. */
  static double tanh(double x) {
    double e = Math.exp(-2.0 * Math.abs(x));
    return Math.copySign((1.0 - e) / (1.0 + e), x);
  }
}
