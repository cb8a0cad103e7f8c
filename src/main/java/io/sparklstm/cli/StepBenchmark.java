package io.sparklstm.cli;

import com.sun.management.ThreadMXBean;
import io.sparklstm.nn.Blas;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.Precision;
import io.sparklstm.nn.RecurrentState;
import io.sparklstm.nn.Rng;
import io.sparklstm.data.TokenStreams;
import io.sparklstm.optim.LearningRateSchedule;
import io.sparklstm.optim.Optimizer;
import io.sparklstm.optim.UpdateRule;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Throughput of one CHARLM-sized training step (forward, backward, clip, Adam): 2 layers x 256,
 * batch 32, window 100, vocabulary 81, on random text. Prints the median step time, tokens/s and
 * Java heap bytes allocated per step, for each thread count given.
 *
 * <p>Usage: {@code StepBenchmark [threads...]} (default 1 2); {@code -Dsteps=N -Dwarmup=N}.
 */
public final class StepBenchmark {
  private StepBenchmark() {}

  public static void main(String[] args) {
    int[] threadCounts = args.length == 0 ? new int[] {1, 2}
        : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    int warmup = Integer.getInteger("warmup", 5);
    int steps = Integer.getInteger("steps", 30);
    int vocab = 81;
    int streams = 32;
    int window = 100;
    int[] text = new int[streams * window * (warmup + steps + 1) + 1];
    Rng rng = new Rng(1);
    for (int i = 0; i < text.length; i++) {
      text[i] = rng.nextInt(vocab);
    }
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int threads : threadCounts) {
      Blas.setThreads(threads);
      LstmNetwork net = new LstmNetwork(ModelSpec.languageModel(vocab, 256, 2), Precision.FLOAT,
          streams, window);
      net.initialize(1);
      Optimizer adam = new Optimizer(new UpdateRule.Adam(0.9, 0.999, 1e-8), 2e-3,
          new LearningRateSchedule.Constant(), 0, 5.0, net.layout(), Precision.FLOAT);
      TokenStreams data = new TokenStreams(text, 0, text.length, streams, window);
      RecurrentState state = RecurrentState.zeros(net, streams);
      LossTotals totals = new LossTotals();
      double[] seconds = new double[steps];
      long allocated = 0;
      for (int i = 0; i < warmup + steps; i++) {
        long a0 = mx.getThreadAllocatedBytes(thread);
        long t0 = System.nanoTime();
        net.forwardBackward(data.window(i), state, totals);
        adam.step(net.params(), net.grads());
        long t1 = System.nanoTime();
        long a1 = mx.getThreadAllocatedBytes(thread);
        if (i >= warmup) {
          seconds[i - warmup] = (t1 - t0) / 1e9;
          allocated += a1 - a0;
        }
      }
      Arrays.sort(seconds);
      double median = seconds[steps / 2];
      double tokens = streams * window;
      System.out.printf("RESULT step threads=%d steps=%d step_s min/median/max = %.4f / %.4f / "
              + "%.4f ; tokens/s (median) = %.0f ; heap bytes allocated per step = %d ; "
              + "matrix work %.1f GFLOP/s%n",
          threads, steps, seconds[0], median, seconds[steps - 1], tokens / median,
          allocated / steps, flopsPerToken(vocab, 256) * tokens / median / 1e9);
    }
  }

  /**
   * Matrix FLOPs per token actually executed: two layers' recurrent GEMMs and layer 2's input
   * GEMM, three times each (forward, input gradient, weight gradient), and the output layer;
   * layer 1's one-hot input is a row lookup, not a GEMM.
   */
  static double flopsPerToken(int vocab, int hidden) {
    double g = 4.0 * hidden;
    double recurrent = 2 * hidden * g;
    return 3 * (2 * recurrent + recurrent) + 3 * 2 * hidden * vocab;
  }
}
