package io.sparklstm.cli;

import com.sun.management.ThreadMXBean;
import io.sparklstm.data.Example;
import io.sparklstm.data.PaddedBatcher;
import io.sparklstm.data.Sequences;
import io.sparklstm.data.TokenStreams;
import io.sparklstm.nn.Batch;
import io.sparklstm.nn.Blas;
import io.sparklstm.nn.Dropout;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.Precision;
import io.sparklstm.nn.RecurrentState;
import io.sparklstm.nn.Rng;
import io.sparklstm.nn.Vec;
import io.sparklstm.optim.Optimizer;
import io.sparklstm.optim.OptimizerSpec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Training-step throughput of the reference workloads on random data of their shapes, single
 * process: CHARLM (2 x 256 LSTM, vocabulary 81, 32 streams x 100 steps, Adam, clip 5) in
 * tokens/s and FMNIST (1 x 128 LSTM, 28 x 28 dense steps, batch 64, Adam) in examples/s. Prints
 * min/median/max step times, the rate at the median, Java heap bytes allocated per step, the
 * matrix work rate against this machine's measured SGEMM rate (2048^3, same threads) and the
 * process's peak RSS.
 *
 * <p>Usage: {@code StepBenchmark [charlm|fmnist|all] [plain|dropout|bi] [threads...]};
 * {@code -Dsteps=N -Dwarmup=N}. {@code dropout} trains both workloads with dropout 0.2 on
 * inputs, outputs and the recurrent state; {@code bi} makes FMNIST's layer bidirectional (a
 * language model cannot be).
 */
public final class StepBenchmark {
  private StepBenchmark() {}

  private static final List<String> VARIANTS = List.of("plain", "dropout", "bi");

  public static void main(String[] args) {
    String workload = Arrays.stream(args).filter(List.of("charlm", "fmnist", "all")::contains)
        .findFirst().orElse("all");
    String variant = Arrays.stream(args).filter(VARIANTS::contains).findFirst().orElse("plain");
    int[] threadCounts = Arrays.stream(args).filter(a -> a.matches("\\d+"))
        .mapToInt(Integer::parseInt).toArray();
    if (threadCounts.length == 0) {
      threadCounts = new int[] {1, 2};
    }
    for (int threads : threadCounts) {
      Blas.setThreads(threads);
      double ceiling = sgemmRate(2048, 2048, 2048);
      if (!workload.equals("fmnist") && !variant.equals("bi")) {
        charlm(threads, ceiling, variant);
      }
      if (!workload.equals("charlm")) {
        fmnist(threads, ceiling, variant);
      }
    }
  }

  /** GFLOP/s of a row-major m x k by k x n SGEMM through {@link Blas}, best of ~1 s of calls. */
  static double sgemmRate(int m, int n, int k) {
    Vec a = Vec.allocate(Precision.FLOAT, m * k);
    Vec b = Vec.allocate(Precision.FLOAT, k * n);
    Vec c = Vec.allocate(Precision.FLOAT, m * n);
    a.fill(0.5);
    b.fill(0.25);
    double best = Double.MAX_VALUE;
    long end = System.nanoTime() + 1_000_000_000L;
    for (int i = 0; i < 3 || System.nanoTime() < end; i++) {
      long t0 = System.nanoTime();
      Blas.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    return 2.0 * m * n * k / best / 1e9;
  }

  /** The process's peak resident set (VmHWM) in MiB, or -1 where /proc is missing. */
  static long peakRssMib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** {@code spec} as {@code variant} trains it. */
  private static ModelSpec variant(ModelSpec spec, String variant) {
    return spec.with(variant.equals("bi"), ModelSpec.Pooling.LAST,
        variant.equals("dropout") ? new Dropout(0.2, 0.2, 0.2) : Dropout.NONE);
  }

  private static void charlm(int threads, double ceiling, String variant) {
    int warmup = Integer.getInteger("warmup", 15);
    int steps = Integer.getInteger("steps", 30);
    int vocab = 81;
    int streams = 32;
    int window = 100;
    int[] text = new int[streams * window * (warmup + steps + 1) + 1];
    Rng rng = new Rng(1);
    for (int i = 0; i < text.length; i++) {
      text[i] = rng.nextInt(vocab);
    }
    LstmNetwork net = new LstmNetwork(variant(ModelSpec.languageModel(vocab, 256, 2), variant),
        Precision.FLOAT, streams, window);
    net.initialize(1);
    Optimizer adam = OptimizerSpec.adam(2e-3, 5.0).build(net.layout(), Precision.FLOAT);
    TokenStreams data = new TokenStreams(text, 0, text.length, streams, window);
    RecurrentState state = RecurrentState.zeros(net, streams);
    LossTotals totals = new LossTotals();
    // Matrix FLOPs per token actually executed: both layers' recurrent GEMMs and layer 2's input
    // GEMM (256 x 1024 each), three times (forward, input gradient, weight gradient), and the
    // output layer; layer 1's one-hot input is a row lookup, not a GEMM.
    double flops = 3 * (3 * 2.0 * 256 * 1024) + 3 * 2.0 * 256 * vocab;
    measure("charlm " + variant, threads, warmup, steps, streams * window, "tokens", flops,
        ceiling, i -> {
          net.forwardBackward(data.window(i), state, totals, i);
      adam.step(net.params(), net.grads());
    });
  }

  private static void fmnist(int threads, double ceiling, String variant) {
    int warmup = Integer.getInteger("warmup", 300);
    int steps = Integer.getInteger("steps", 200);
    Rng rng = new Rng(2);
    List<Example> data = new ArrayList<>();
    for (int i = 0; i < 64 * 8; i++) {
      float[] f = new float[28 * 28];
      for (int j = 0; j < f.length; j++) {
        f[j] = (float) rng.nextDouble();
      }
      data.add(Example.ofFeatures(f, 28, rng.nextInt(10)));
    }
    Sequences seqs = Sequences.of(data);
    int[] order = new int[data.size()];
    Arrays.setAll(order, i -> i);
    ModelSpec spec = variant(new ModelSpec(InputKind.DENSE, 28, 0, 128, 1, HeadKind.LAST_STEP,
        10), variant);
    LstmNetwork net = new LstmNetwork(spec, Precision.FLOAT, 64, 28);
    net.initialize(1);
    Optimizer adam = OptimizerSpec.adam(1e-3, 0).build(net.layout(), Precision.FLOAT);
    PaddedBatcher batcher = new PaddedBatcher(64, 28, 28);
    RecurrentState state = RecurrentState.zeros(net, 64);
    LossTotals totals = new LossTotals();
    // Per example and direction: input and recurrent GEMMs at each of 28 steps, three times
    // each, and the head on the last step.
    double flops = spec.directions()
        * (3 * (2.0 * 28 * 512 + 2.0 * 128 * 512) * 28 + 3 * 2.0 * 128 * 10);
    measure("fmnist " + variant, threads, warmup, steps, 64, "examples", flops, ceiling, i -> {
      int from = (i % 8) * 64;
      Batch b = batcher.pack(seqs, order, from, from + 64);
      state.reset();
      net.forwardBackward(b, state, totals, i);
      adam.step(net.params(), net.grads());
    });
  }

  private interface Step {
    void run(int i);
  }

  private static void measure(String name, int threads, int warmup, int steps, int items,
      String unit, double flopsPerItem, double ceiling, Step step) {
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    double[] seconds = new double[steps];
    long allocated = 0;
    for (int i = 0; i < warmup + steps; i++) {
      long a0 = mx.getThreadAllocatedBytes(thread);
      long t0 = System.nanoTime();
      step.run(i);
      long t1 = System.nanoTime();
      long a1 = mx.getThreadAllocatedBytes(thread);
      if (i >= warmup) {
        seconds[i - warmup] = (t1 - t0) / 1e9;
        allocated += a1 - a0;
      }
    }
    Arrays.sort(seconds);
    double median = seconds[steps / 2];
    double rate = flopsPerItem * items / median / 1e9;
    System.out.printf(Locale.ROOT, "RESULT %s threads=%d steps=%d step_s min/median/max = %.4f / "
            + "%.4f / %.4f ; %s/s (median) = %.0f ; heap bytes allocated per step = %d ; matrix "
            + "work %.1f GFLOP/s = %.0f%% of SGEMM 2048^3 %.1f GFLOP/s ; peak RSS %d MiB%n", name,
        threads, steps, seconds[0], median, seconds[steps - 1], unit, items / median,
        allocated / steps, rate, 100 * rate / ceiling, ceiling, peakRssMib());
  }
}
