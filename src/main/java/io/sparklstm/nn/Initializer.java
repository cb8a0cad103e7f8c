package io.sparklstm.nn;

/**
 * Initial parameters from a seed, as Keras initialises an LSTM: input and output weights Glorot
 * uniform, recurrent weights with orthonormal rows (so early steps neither shrink nor blow up
 * h), biases zero but the forget gate's at 1 (so early gradients flow through c), embeddings
 * standard normal.
 */
final class Initializer {
  private Initializer() {}

  static void initialize(ParamLayout layout, int hidden, Vec params, long seed) {
    Rng rng = Rng.derive(seed, 0x1A17);
    for (ParamLayout.Tensor t : layout.tensors()) {
      if (t.name().equals("embed")) {
        for (int i = 0; i < t.size(); i++) {
          params.set(t.offset() + i, rng.nextGaussian());
        }
      } else if (t.bias()) {
        boolean lstm = t.name().startsWith("lstm") || t.name().startsWith(ParamLayout.ENCODER)
            || t.name().startsWith(ParamLayout.DECODER);
        for (int i = 0; i < t.size(); i++) {
          params.set(t.offset() + i, lstm && i >= hidden && i < 2 * hidden ? 1.0 : 0.0);
        }
      } else if (t.name().endsWith(".wh")) {
        orthonormalRows(params, t, rng);
      } else {
        double limit = Math.sqrt(6.0 / (t.rows() + t.cols()));
        for (int i = 0; i < t.size(); i++) {
          params.set(t.offset() + i, rng.uniform(-limit, limit));
        }
      }
    }
  }

  /** Rows of a Gaussian matrix made orthonormal by modified Gram-Schmidt (rows <= cols). */
  private static void orthonormalRows(Vec params, ParamLayout.Tensor t, Rng rng) {
    int rows = t.rows();
    int cols = t.cols();
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = rng.nextGaussian();
      }
    }
    for (int r = 0; r < rows; r++) {
      for (int q = 0; q < r; q++) {
        double dot = 0;
        for (int j = 0; j < cols; j++) {
          dot += m[r][j] * m[q][j];
        }
        for (int j = 0; j < cols; j++) {
          m[r][j] -= dot * m[q][j];
        }
      }
      double norm = 0;
      for (int j = 0; j < cols; j++) {
        norm += m[r][j] * m[r][j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < cols; j++) {
        m[r][j] /= norm;
        params.set(t.offset() + r * cols + j, m[r][j]);
      }
    }
  }
}
