package io.sparklstm.ml;

import io.sparklstm.data.Example;
import io.sparklstm.data.PaddedBatcher;
import io.sparklstm.data.Sequences;
import io.sparklstm.nn.Batch;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ParamLayout;
import io.sparklstm.nn.RecurrentState;
import io.sparklstm.nn.Vec;
import java.util.List;

/**
 * Class scores of up to a minibatch of sequences: padded and masked like training, run forward,
 * and the logits computed in double precision from each sequence's final hidden state, in a fixed
 * order. A sequence's scores depend on its own steps only, not on the others in its batch.
 */
final class ClassifierScorer {
  private final LstmNetwork net;
  private final float[] params;
  private final PaddedBatcher batcher;
  private final ZeroStates states;
  private final int[] order;
  private final int weights;
  private final int bias;

  ClassifierScorer(LstmNetwork net, float[] params) {
    ModelSpec spec = net.spec();
    this.net = net;
    this.params = params;
    int width = spec.input() == ModelSpec.InputKind.DENSE ? spec.inputSize() : 0;
    this.batcher = new PaddedBatcher(net.maxBatch(), net.maxSteps(), width);
    this.states = new ZeroStates(net);
    this.order = new int[net.maxBatch()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    ParamLayout layout = net.layout();
    this.weights = layout.get("out.w").offset();
    this.bias = layout.get("out.b").offset();
  }

  /** The logits of each sequence (labels are ignored). */
  double[][] logits(List<Example> sequences) {
    int n = sequences.size();
    Batch batch = batcher.pack(Sequences.of(sequences), order, 0, n);
    RecurrentState state = states.of(n);
    net.forward(batch, state, new LossTotals());
    int h = net.spec().hiddenSize();
    int v = net.spec().outputSize();
    Vec top = state.h(net.spec().layers() - 1);
    double[][] out = new double[n][v];
    for (int b = 0; b < n; b++) {
      double[] z = out[b];
      for (int k = 0; k < v; k++) {
        z[k] = params[bias + k];
      }
      for (int j = 0; j < h; j++) {
        double x = top.get(b * h + j);
        int row = weights + j * v;
        for (int k = 0; k < v; k++) {
          z[k] += x * params[row + k];
        }
      }
    }
    return out;
  }

  /** Softmax of logits, in place. */
  static double[] softmax(double[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (double x : z) {
      max = Math.max(max, x);
    }
    double sum = 0;
    for (int k = 0; k < z.length; k++) {
      z[k] = Math.exp(z[k] - max);
      sum += z[k];
    }
    for (int k = 0; k < z.length; k++) {
      z[k] /= sum;
    }
    return z;
  }

  /**
   * The predicted class: the most probable, or with {@code thresholds} (spark.ml's meaning) the
   * largest probability / threshold, a zero threshold winning outright.
   */
  static int predict(double[] probability, double[] thresholds) {
    int best = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < probability.length; k++) {
      double score = thresholds == null ? probability[k]
          : thresholds[k] == 0 ? Double.POSITIVE_INFINITY : probability[k] / thresholds[k];
      if (score > max) {
        max = score;
        best = k;
      }
    }
    return best;
  }
}
