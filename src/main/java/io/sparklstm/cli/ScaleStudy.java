package io.sparklstm.cli;

import io.sparklstm.ml.param.TrainingLoopParams;
import io.sparklstm.optim.BlockMomentum;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The pure parts of the convergence study ({@link ScaleBenchmark}): the averaging settings it
 * compares and the "tokens to reach a metric" it reports.
 */
final class ScaleStudy {
  private ScaleStudy() {}

  /**
   * One way to average: block momentum ({@code auto}, {@code sqrt} or a value; 0 is plain
   * averaging), the interval in windows (minibatches), whether the optimizer state is averaged
   * (else reset every round), and whether the batch is split over the partitions ({@code
   * train.batch.scope = all}) rather than taken by each. Text form {@code
   * MOMENTUM/EVERY[/reset][/all]}, MOMENTUM being plain, auto, sqrt or a number: {@code
   * plain/50}, {@code auto/10}, {@code 0.9/50}, {@code auto/50/reset}, {@code sqrt/50/all}.
   */
  record Setting(BlockMomentum momentum, int every, boolean optimizerState, boolean splitBatch) {
    static Setting parse(String text) {
      String[] p = text.split("/", -1);
      BlockMomentum m = p[0].equals("plain") ? BlockMomentum.of(0)
          : BlockMomentum.parseOrNull(p[0]);
      int every = p.length < 2 ? -1 : parsePositive(p[1]);
      List<String> flags = Arrays.asList(p).subList(Math.min(2, p.length), p.length);
      boolean known = flags.stream().allMatch(f -> f.equals("reset") || f.equals("all"))
          && flags.stream().distinct().count() == flags.size();
      if (m == null || every < 1 || !known) {
        throw new IllegalArgumentException("setting '" + text + "': expected MOMENTUM/EVERY "
            + "followed by /reset (reset the optimizer state each round) and/or /all (split "
            + "train.batch over the partitions), MOMENTUM plain, auto, sqrt or a number in "
            + "[0, 1), "
            + "EVERY a positive window count (e.g. plain/50, auto/10, 0.9/50, auto/50/reset, "
            + "plain/50/all)");
      }
      return new Setting(m, every, !flags.contains("reset"), flags.contains("all"));
    }

    static List<Setting> parseList(String text) {
      List<Setting> out = new ArrayList<>();
      for (String s : text.split(",")) {
        out.add(parse(s.strip()));
      }
      return out;
    }

    private static int parsePositive(String s) {
      try {
        return Integer.parseInt(s);
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    /** The label in tables, charts and the CSV, e.g. "bm auto K=50" or "plain K=50 reset". */
    String label() {
      String m = momentum.forPartitions(2) == 0 && momentum instanceof BlockMomentum.Fixed
          ? "plain" : "bm " + momentum;
      return m + " K=" + every + (optimizerState ? "" : " reset")
          + (splitBatch ? " split batch" : "");
    }

    /** The job keys that select this setting (as --set would give them). */
    List<String> overrides() {
      return List.of("average.block.momentum=" + momentum, "average.every=" + every,
          "average.optimizer.state=" + optimizerState,
          TrainingLoopParams.BATCH_SCOPE.confKey() + "=" + (splitBatch ? "all" : "partition"));
    }

    /**
     * Whether this setting on one partition trains exactly as one worker does (no momentum, the
     * optimizer state kept): then the single-worker reference stands for its N = 1 run.
     */
    boolean singleWorkerAtOne() {
      return momentum.forPartitions(1) == 0 && optimizerState; // a split batch is whole at N = 1
    }
  }

  /** A held-out evaluation: tokens (examples) trained on so far, the metric, wall seconds. */
  record Point(long tokens, double metric, double seconds) {}

  /**
   * The tokens at the first evaluation whose metric is at least as good as {@code target} (lower
   * is better for bits per token, higher for accuracy), or empty when none is. Evaluations are
   * discrete, so this is an upper bound: the target may have been reached a little earlier.
   */
  static OptionalLong tokensToReach(List<Point> points, double target, boolean lowerIsBetter) {
    for (Point p : points) {
      if (lowerIsBetter ? p.metric() <= target : p.metric() >= target) {
        return OptionalLong.of(p.tokens());
      }
    }
    return OptionalLong.empty();
  }

  /**
   * The rounds after which to evaluate: the first round end at or past each of {@code evals}
   * equal steps of {@code budget} tokens, and always the last. True when a round that ended at
   * {@code seen} tokens (the one before at {@code before}) crosses such a step.
   */
  static boolean evaluateAfter(long before, long seen, long budget, int evals) {
    if (seen >= budget) {
      return true;
    }
    if (evals <= 0) {
      return false;
    }
    double step = (double) budget / evals;
    return Math.floor(seen / step) > Math.floor(before / step);
  }
}
