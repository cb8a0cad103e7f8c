package io.sparklstm.ml;

import io.sparklstm.data.Example;
import io.sparklstm.data.PaddedBatcher;
import io.sparklstm.data.Sequences;
import io.sparklstm.nn.Batch;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.RecurrentState;
import java.util.List;

/**
 * Class scores of sequences, in minibatches of the network's batch size formed by length: padded
 * and masked like training, run forward, and the logits computed in double precision from each
 * sequence's final hidden state. With a batch size of 1 a sequence's scores depend on its own
 * steps alone.
 */
final class ClassifierScorer {
  private final LstmNetwork net;
  private final PaddedBatcher batcher;
  private final ZeroStates states;

  /** A scorer on {@code net}, which holds the model's parameters. */
  ClassifierScorer(LstmNetwork net) {
    ModelSpec spec = net.spec();
    this.net = net;
    int width = spec.input() == ModelSpec.InputKind.DENSE ? spec.inputSize() : 0;
    this.batcher = new PaddedBatcher(net.maxBatch(), net.maxSteps(), width);
    this.states = new ZeroStates(net);
  }

  /** The logits of each sequence (labels are ignored). */
  double[][] logits(List<Example> sequences) {
    int n = sequences.size();
    Sequences data = Sequences.of(sequences);
    int[] order = Minibatches.byLength(n, data::steps);
    double[][] out = new double[n][];
    for (int from = 0; from < n; from += net.maxBatch()) {
      int to = Math.min(n, from + net.maxBatch());
      Batch batch = batcher.pack(data, order, from, to);
      RecurrentState state = states.of(to - from);
      net.forward(batch, state, new LossTotals());
      for (int b = 0; b < to - from; b++) {
        double[] z = new double[net.spec().outputSize()];
        net.logits(b, z);
        out[order[from + b]] = z;
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
