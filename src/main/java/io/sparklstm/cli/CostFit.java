package io.sparklstm.cli;

import io.sparklstm.cli.ScaleBenchmark.Run;
import io.sparklstm.cli.ScaleBenchmark.Shape;
import io.sparklstm.ml.param.TrainingLoopParams;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.Precision;
import io.sparklstm.nn.Vec;
import io.sparklstm.spark.PartitionTree;
import io.sparklstm.spark.RoundResult;
import io.sparklstm.train.RoundRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The cost model's inputs measured here and its tables: predictions at scale, and its local
 * terms against the study's measured rounds. A run's first round is left out of every mean (it
 * also caches the shards and warms the JIT up).
 */
final class CostFit {
  /** Executors the predictions are for. */
  static final int[] AT_SCALE = {8, 32, 128};
  /** 10 Gb/s. */
  static final double NETWORK = 1.25e9;
  private static final int MERGE_LEAVES = 8;
  /**
   * Partitions of the probe rounds: 4 (the most in one stage: every result reaches the driver),
   * 8 and 16 (blocks of 2 and 4: 4 block sums reach the driver either way).
   */
  static final int[] PROBES = {1, 4, 8, 16};
  private static final int PROBE_REPEATS = 3;

  private CostFit() {}

  /** A round's local figures: wall, broadcast, summed task seconds, result bytes. */
  private record Local(double wall, double broadcast, double taskSeconds, long resultBytes) {}

  /**
   * Driver seconds per partition result: deserialise one (Java serialization, as Spark ships
   * task results) and add it into a PartitionTree, as the round's final merge does. The median
   * of five merges of {@value #MERGE_LEAVES} results, per result.
   */
  static double measureMerge(Shape s) {
    int n = MERGE_LEAVES;
    long floats = s.params() * (1 + s.stateSlots());
    if (floats > Integer.MAX_VALUE) {
      return Double.NaN;
    }
    Vec p = Vec.allocate(Precision.FLOAT, (int) s.params());
    Vec st = Vec.allocate(Precision.FLOAT, (int) (s.params() * s.stateSlots()));
    byte[][] leaves = new byte[n][];
    for (int i = 0; i < n; i++) {
      RoundResult r = RoundResult.of(p, st, 100, 1, new LossTotals(), 1)
          .withCarriedState(i, new float[(int) s.carriedFloats()]);
      leaves[i] = serialize(PartitionTree.leaf(n, i, r));
    }
    double[] perLeaf = new double[5];
    for (int rep = 0; rep < perLeaf.length; rep++) {
      long t0 = System.nanoTime();
      PartitionTree<RoundResult> sum = PartitionTree.empty(n);
      for (byte[] leaf : leaves) {
        sum.merge(deserialize(leaf));
      }
      sum.result().averageParams();
      perLeaf[rep] = (System.nanoTime() - t0) / 1e9 / n;
    }
    Arrays.sort(perLeaf);
    return perLeaf[perLeaf.length / 2];
  }

  /**
   * The round's costs beyond training but the fixed part, measured by probe rounds that
   * aggregate results of the workload's size exactly as training rounds do but train nothing, at
   * 1, 4, 8 and 16 partitions. A probe's time outside its tasks' runs, beyond its executor-side
   * overhead (Spark's task metrics: deserialising the task, serialising the result) and its
   * merges (measured apart), grows with its tasks (t each), the results the driver takes in (r
   * each) and a second stage (s): 4 partitions add 3t + 3r to 1; 8 add 11t + 3r + s; 16 add 19t
   * + 3r + s. Medians of {@value #PROBE_REPEATS} probes.
   */
  static CostModel.Overheads measure(JavaSparkContext sc, TaskTimes times, Shape s, int cores) {
    double merge = measureMerge(s);
    double[] outside = new double[PROBES.length];
    double overhead = 0;
    for (int i = 0; i < PROBES.length; i++) {
      double[] p = probe(sc, times, s, PROBES[i], cores);
      outside[i] = p[0];
      overhead = p[1]; // the largest probe's, per task
    }
    double[] added = new double[PROBES.length];
    for (int i = 1; i < PROBES.length; i++) {
      int n = PROBES[i];
      added[i] = outside[i] - outside[0] - (CostModel.waves(n, cores) - 1) * overhead
          - (CostModel.driverMerges(n) - 1) * merge;
    }
    // PROBES[2] and PROBES[3] send the driver the same block sums: their difference is tasks
    int oneStage = PROBES[1]; // every result reaches the driver
    int blocks = PROBES[2];
    int moreBlocks = PROBES[3];
    double task = (added[3] - added[2]) / (CostModel.tasks(moreBlocks) - CostModel.tasks(blocks));
    double receive = (added[1] - (CostModel.tasks(oneStage) - 1) * task)
        / (CostModel.driverMerges(oneStage) - 1);
    double stage = added[2] - (CostModel.tasks(blocks) - 1) * task
        - (CostModel.driverMerges(blocks) - 1) * receive;
    return new CostModel.Overheads(merge, Math.max(0, receive), Math.max(0, task), overhead,
        Math.max(0, stage), 0);
  }

  /**
   * A probe round at {@code n} partitions: its seconds outside the tasks' runs (wall minus the
   * summed run time over the cores), and its executor-side overhead per task; medians.
   */
  private static double[] probe(JavaSparkContext sc, TaskTimes times, Shape s, int n,
      int cores) {
    int params = Math.toIntExact(s.params());
    int state = Math.toIntExact(s.params() * s.stateSlots());
    int carried = Math.toIntExact(s.carriedFloats());
    double[] outside = new double[PROBE_REPEATS];
    double[] overhead = new double[PROBE_REPEATS];
    sc.setJobDescription(TaskTimes.PROBE + " " + n);
    try {
      for (int rep = 0; rep < PROBE_REPEATS; rep++) {
        times.reset();
        long t0 = System.nanoTime();
        JavaRDD<PartitionTree<RoundResult>> leaves = sc.parallelize(
            IntStream.range(0, n).boxed().toList(), n).mapPartitionsWithIndex((p, it) -> {
              RoundResult r = RoundResult.of(Vec.allocate(Precision.FLOAT, params),
                  Vec.allocate(Precision.FLOAT, state), 100, 1, new LossTotals(), 1)
                  .withCarriedState(p, new float[carried]);
              return List.of(PartitionTree.leaf(n, p, r)).iterator();
            }, true);
        PartitionTree.sum(leaves, n).averageParams();
        double wall = (System.nanoTime() - t0) / 1e9;
        TaskTimes.Round r = times.rounds(sc).get(0);
        outside[rep] = wall - r.taskSeconds() / Math.min(n, cores);
        overhead[rep] = r.overheadSeconds() / r.tasks();
      }
    } finally {
      sc.setJobDescription(null);
    }
    Arrays.sort(outside);
    Arrays.sort(overhead);
    return new double[] {outside[PROBE_REPEATS / 2], overhead[PROBE_REPEATS / 2]};
  }

  private static byte[] serialize(Object o) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(b)) {
      out.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toByteArray();
  }

  /** Reads back bytes this class serialised itself a moment ago (never a user's file). */
  @SuppressWarnings("unchecked")
  private static PartitionTree<RoundResult> deserialize(byte[] bytes) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (PartitionTree<RoundResult>) in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Each partition count's rounds (first round of every run left out). */
  private static TreeMap<Integer, List<Local>> locals(List<Run> runs) {
    TreeMap<Integer, List<Local>> byN = new TreeMap<>();
    for (Run r : runs) {
      for (int i = 1; i < r.rounds().size(); i++) {
        RoundRecord rec = r.rounds().get(i);
        TaskTimes.Round t = r.tasksOf(rec);
        byN.computeIfAbsent(r.partitions(), k -> new ArrayList<>()).add(new Local(
            rec.wallSeconds(), rec.broadcastSeconds(), t.taskSeconds(), t.resultBytes()));
      }
    }
    return byN;
  }

  /** The driver's part of a local round: wall minus broadcast minus the tasks on the cores. */
  private static double driver(Local l, int n, int cores) {
    return l.wall() - l.broadcast() - l.taskSeconds() / Math.min(n, cores);
  }

  private static double mean(List<Local> ls, java.util.function.ToDoubleFunction<Local> f) {
    return ls.stream().mapToDouble(f).average().orElse(Double.NaN);
  }

  /**
   * The model from the reference (one worker) run's rounds and the merge measurement; null when
   * the reference has fewer than two rounds.
   */
  static CostModel fit(Shape s, List<Run> runs, CostModel.Overheads c, int cores) {
    List<Local> one = locals(runs.stream().filter(r -> r.setting().equals(
        ScaleBenchmark.REFERENCE)).toList()).get(1);
    Run ref = runs.stream().filter(r -> r.setting().equals(ScaleBenchmark.REFERENCE))
        .findFirst().orElse(null);
    if (one == null || ref == null) {
      return null;
    }
    List<RoundRecord> rr = ref.rounds().subList(1, ref.rounds().size());
    double perToken = rr.stream().mapToDouble(RoundRecord::computeSeconds).sum()
        / rr.stream().mapToLong(RoundRecord::examples).sum();
    CostModel noFixed = new CostModel(perToken, s.params(), s.stateSlots(), s.carriedFloats(),
        s.tokensPerStep(), s.tokensPerEpoch(), c, NETWORK);
    double fixed = mean(one, l -> driver(l, 1, cores)) - noFixed.outsideTasksSeconds(1, cores);
    return new CostModel(perToken, s.params(), s.stateSlots(), s.carriedFloats(),
        s.tokensPerStep(), s.tokensPerEpoch(), c.withFixed(Math.max(0, fixed)), NETWORK);
  }

  /** The inputs, the predictions at scale, and the local check per N, as text tables. */
  static String tables(Shape s, List<Run> runs, CostModel m, int cores) {
    StringBuilder o = new StringBuilder();
    o.append(String.format(Locale.ROOT, "Cost model inputs (%s): compute %.3g s/token on one "
            + "core;%n  %,d parameters x %d (with optimizer state) + %,d carried floats per "
            + "partition;%n  broadcast %,d B + %,d B per partition, result %,d B per partition;"
            + "%n  merge %.2f ms per result (measured: deserialise + add); the driver's %.2f ms "
            + "more per result it takes in, %.2f ms per task and %.1f ms to start a second "
            + "stage;%n  %.2f ms per task on its executor (probe rounds at N = 1, 4, 8, 16); "
            + "fixed %.1f ms per round (measured at N = 1); network %.0f Gb/s%n",
        s.workload(), m.secondsPerToken(), m.params(), 1 + m.stateSlots(), m.carriedFloats(),
        4 * m.params() * (1 + m.stateSlots()), 4 * m.carriedFloats(), m.resultBytes(),
        1e3 * m.costs().merge(), 1e3 * m.costs().receive(), 1e3 * m.costs().task(),
        1e3 * m.costs().stage(), 1e3 * m.costs().executorTask(), 1e3 * m.costs().fixed(),
        m.bytesPerSecond() * 8 / 1e9));
    o.append(String.format(Locale.ROOT, "Predicted round at scale (K: the conf's interval, then"
        + " the shortest that keeps coordination <= 5%%; seconds per round, epoch seconds):%n"));
    o.append(String.format(Locale.ROOT, "%-5s %5s %6s %9s %9s %9s %9s %9s %9s %8s %8s %7s %8s%n",
        "N", "block", "K", "compute", "bcast", "agg net", "merge", "tasks", "coord", "coord%",
        "epoch s", "speedup", "K<=5%"));
    for (int n : AT_SCALE) {
      int k5 = m.intervalForShare(n);
      for (int k : k5 == s.every() ? new int[] {k5} : new int[] {s.every(), k5}) {
        o.append(String.format(Locale.ROOT, "%-5d %5d %6d %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f "
                + "%7.1f%% %8.1f %7.1fx %8d%n", n, CostModel.blockSize(n), k,
            m.computeSeconds(k), m.broadcastSeconds(n), m.aggregateNetworkSeconds(n),
            m.mergeSecondsTotal(n), m.taskSecondsTotal(n, n), m.coordinationSeconds(n), 100 * m.coordinationShare(n, k), m.epochSeconds(n, k),
            m.speedUp(n, k), k5));
      }
    }
    o.append(splitTables(s, runs, m));
    o.append(String.format(Locale.ROOT, "Local check (local[%d], all settings' rounds but the "
        + "first of each run):%n  broadcast predicted from N = 1's bytes/s; driver = wall - "
        + "broadcast - summed task time / min(N, %d),%n  predicted fixed + tasks x the driver's "
        + "per task + waves x executor overhead + a second stage's start (B > 1) + ceil(N / B) "
        + "x (merge + receive) (the blocks' merges run in tasks);%n  result bytes predicted: N leaves, or ceil(N / B) double-precision block "
        + "sums%n", cores, cores));
    o.append(String.format(Locale.ROOT, "%-4s %7s %9s %9s %7s %9s %9s %7s %12s %12s %7s%n", "N",
        "rounds", "bcast s", "model", "err", "driver s", "model", "err", "result B", "model",
        "err"));
    TreeMap<Integer, List<Local>> byN = locals(runs);
    List<Local> one = byN.get(1);
    double rate = one == null ? Double.NaN : m.broadcastBytes(1) / mean(one, Local::broadcast);
    byN.forEach((n, ls) -> {
      // a split batch's partitions carry their share's state (all of N's runs split, or none)
      boolean split = runs.stream().anyMatch(r -> r.partitions() == n
          && r.averaging().splitBatch());
      CostModel at = split ? m.withBatchShare(TrainingLoopParams.share(s.batch(), n), s.batch(),
          m.secondsPerToken()) : m;
      double b = mean(ls, Local::broadcast);
      double bm = at.broadcastBytes(n) / rate;
      double d = mean(ls, l -> driver(l, n, cores));
      double dm = m.outsideTasksSeconds(n, cores);
      double rb = mean(ls, l -> l.resultBytes());
      double rbm = at.driverBytes(n);
      o.append(String.format(Locale.ROOT, "%-4d %7d %9.4f %9.4f %6.0f%% %9.3f %9.3f %6.0f%% "
              + "%12.0f %12.0f %6.0f%%%n", n, ls.size(), b, bm, 100 * (bm / b - 1), d, dm,
          100 * (dm / d - 1), rb, rbm, 100 * (rbm / rb - 1)));
    });
    return o.toString();
  }

  /**
   * One core's training seconds per token in a run: its tasks' summed time over its tokens
   * (first round left out); NaN without rounds to measure.
   */
  static double secondsPerToken(Run r) {
    double seconds = 0;
    long tokens = 0;
    for (RoundRecord rec : r.rounds().subList(Math.min(1, r.rounds().size()), r.rounds().size())) {
      seconds += r.tasksOf(rec).taskSeconds();
      tokens += rec.examples();
    }
    return tokens == 0 ? Double.NaN : seconds / tokens;
  }


  /**
   * Predictions for every setting that splits the batch over the partitions: at N executors
   * each trains its share of the reference's batch at the rate this study measured for that
   * share (the run of the setting whose share is nearest), and the speed-up is over one executor
   * training the whole batch.
   */
  static String splitTables(Shape s, List<Run> runs, CostModel m) {
    StringBuilder o = new StringBuilder();
    List<String> labels = runs.stream().filter(r -> r.averaging().splitBatch())
        .map(Run::setting).distinct().toList();
    for (String label : labels) {
      List<Run> measured = runs.stream().filter(r -> r.setting().equals(label)
          && !Double.isNaN(secondsPerToken(r))).toList();
      if (measured.isEmpty()) {
        continue;
      }
      int every = measured.get(0).averaging().every();
      o.append(String.format(Locale.ROOT, "Predicted with \"%s\" (each executor trains its "
          + "share of the batch of %d; compute per token as measured here at that share, with "
          + "each task's fixed work;%n  speed-up over one executor with the whole batch, whose "
          + "rate is in-task compute only: biased low):%n", label, s.batch()));
      o.append(String.format(Locale.ROOT, "%-5s %5s %9s %6s %9s %9s %8s %8s %7s %8s%n", "N",
          "share", "s/token", "K", "compute", "coord", "coord%", "epoch s", "speedup", "K<=5%"));
      for (int n : AT_SCALE) {
        int share = TrainingLoopParams.share(s.batch(), n);
        Run nearest = measured.stream().min(java.util.Comparator.comparingInt(
            (Run r) -> Math.abs(TrainingLoopParams.share(s.batch(), r.partitions()) - share))
            .thenComparingInt(Run::partitions)).orElseThrow();
        CostModel at = m.withBatchShare(share, s.batch(), secondsPerToken(nearest));
        int k5 = at.intervalForShare(n);
        for (int k : k5 == every ? new int[] {k5} : new int[] {every, k5}) {
          o.append(String.format(Locale.ROOT, "%-5d %5d %9.3g %6d %9.3f %9.3f %7.1f%% %8.1f "
                  + "%7.1fx %8d%n", n, share, at.secondsPerToken(), k, at.computeSeconds(k),
              at.coordinationSeconds(n), 100 * at.coordinationShare(n, k), at.epochSeconds(n, k),
              at.speedUpOver(m, n, k), k5));
        }
      }
    }
    return o.toString();
  }
}
