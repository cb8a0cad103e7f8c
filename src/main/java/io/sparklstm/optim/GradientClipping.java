package io.sparklstm.optim;

import io.sparklstm.nn.Vec;

/** Global-norm gradient clipping, as torch.nn.utils.clip_grad_norm_. */
public final class GradientClipping {
  private GradientClipping() {}

  public static double norm(Vec g) {
    double s = 0;
    for (int i = 0, n = g.size(); i < n; i++) {
      double v = g.get(i);
      s += v * v;
    }
    return Math.sqrt(s);
  }

  /** Scales {@code g} so its L2 norm is at most {@code max}; returns the norm before. */
  public static double clipGlobalNorm(Vec g, double max) {
    double norm = norm(g);
    if (norm > max) {
      double scale = max / (norm + 1e-6);
      for (int i = 0, n = g.size(); i < n; i++) {
        g.set(i, g.get(i) * scale);
      }
    }
    return norm;
  }
}
