package io.sparklstm.ml;

import io.sparklstm.data.Example;
import io.sparklstm.data.PaddedBatcher;
import io.sparklstm.data.Sequences;
import io.sparklstm.nn.Batch;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import java.util.ArrayList;
import java.util.List;

/**
 * The most probable tag of every token, in minibatches of the network's batch size formed by
 * length, padded and masked as in training (each sentence from zero state, so its tags depend on
 * its own tokens alone, up to the last bits of a GEMM: see the README).
 */
final class TaggerScorer {
  private final LstmNetwork net;
  private final PaddedBatcher batcher;
  private final ZeroStates states;

  TaggerScorer(LstmNetwork net) {
    this.net = net;
    this.batcher = new PaddedBatcher(net.maxBatch(), net.maxSteps(), 0, true);
    this.states = new ZeroStates(net);
  }

  /** The tag ids of each sentence's tokens (token ids; no longer than the network's window). */
  int[][] tags(List<int[]> sentences) {
    int n = sentences.size();
    List<Example> examples = new ArrayList<>(n);
    for (int[] tokens : sentences) {
      examples.add(Example.ofTagged(tokens, new int[tokens.length])); // tags unused
    }
    Sequences data = Sequences.of(examples);
    int[] order = Minibatches.byLength(n, data::steps);
    int[][] out = new int[n][];
    for (int from = 0; from < n; from += net.maxBatch()) {
      int to = Math.min(n, from + net.maxBatch());
      Batch batch = batcher.pack(data, order, from, to);
      net.forward(batch, states.of(to - from), new LossTotals());
      for (int b = 0; b < to - from; b++) {
        int[] tags = new int[data.steps(order[from + b])];
        for (int t = 0; t < tags.length; t++) {
          tags[t] = net.mostProbable(t * batch.batch() + b);
        }
        out[order[from + b]] = tags;
      }
    }
    return out;
  }
}
