package io.sparklstm.ml;

import io.sparklstm.data.Vocabulary;
import io.sparklstm.nn.Batch;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.RecurrentState;
import io.sparklstm.train.Sampler;
import java.util.List;

/**
 * A language model over lines of text: the log-likelihood of each line of a minibatch, read
 * window by window with the recurrent state carried across windows (lines of any length), and
 * continuations sampled from prompts.
 */
final class TextScorer {
  private final LstmNetwork net;
  private final Vocabulary vocab;
  private final int newline;
  private final ZeroStates states;

  TextScorer(LstmNetwork net, Vocabulary vocab) {
    this.net = net;
    this.vocab = vocab;
    this.newline = vocab.id(Vocabulary.NEWLINE);
    this.states = new ZeroStates(net);
  }

  /**
   * For each line, {@code {ln p(line), tokens}}: every token of the line and its line break,
   * each predicted from the tokens before it, starting from a line break and a zero state. Lines
   * are scored in minibatches of the network's batch size formed by length.
   */
  double[][] logLikelihoods(List<String> lines) {
    int n = lines.size();
    int[][] ids = new int[n][];
    for (int i = 0; i < n; i++) {
      int[] line = vocab.encodeLine(lines.get(i));
      ids[i] = new int[line.length + 1];
      ids[i][0] = newline;
      System.arraycopy(line, 0, ids[i], 1, line.length);
    }
    int[] order = Minibatches.byLength(n, i -> ids[i].length);
    double[][] out = new double[n][2];
    for (int from = 0; from < n; from += net.maxBatch()) {
      score(ids, order, from, Math.min(n, from + net.maxBatch()), out);
    }
    return out;
  }

  /** Lines {@code order[from..to)} as one minibatch, window by window. */
  private void score(int[][] ids, int[] order, int from, int to, double[][] out) {
    int b = to - from;
    int longest = ids[order[to - 1]].length - 1;
    int window = net.maxSteps();
    int[] tokens = new int[b * window];
    int[] targets = new int[b * window];
    boolean[] mask = new boolean[b * window];
    RecurrentState state = states.of(b);
    for (int start = 0; start < longest; start += window) {
      int steps = Math.min(window, longest - start);
      for (int t = 0; t < steps; t++) {
        for (int i = 0; i < b; i++) {
          int[] line = ids[order[from + i]];
          int pos = start + t;
          int r = t * b + i;
          mask[r] = pos + 1 < line.length;
          tokens[r] = mask[r] ? line[pos] : 0;
          targets[r] = mask[r] ? line[pos + 1] : 0;
        }
      }
      net.forward(new Batch(b, steps, tokens, null, targets, mask), state, new LossTotals());
      for (int t = 0; t < steps; t++) {
        for (int i = 0; i < b; i++) {
          int r = t * b + i;
          if (mask[r]) {
            out[order[from + i]][0] += Math.log(net.probability(r, targets[r]));
            out[order[from + i]][1]++;
          }
        }
      }
    }
  }

  /** {@code length} tokens after {@code prompt} (an empty one starts a new line), as text. */
  String continuation(String prompt, int length, double temperature, int topK, long seed) {
    int[] prime = vocab.encode(prompt);
    if (prime.length == 0) { // nothing to continue: start a new line
      prime = new int[] {newline};
    }
    int[] out = Sampler.sample(net, prime, length, temperature, topK, seed);
    return vocab.decode(out, 0, out.length);
  }
}
