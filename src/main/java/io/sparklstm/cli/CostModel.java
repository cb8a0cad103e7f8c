package io.sparklstm.cli;

import io.sparklstm.spark.PartitionTree;

/**
 * The cost of an averaging round on N executors (one task each), from figures measured on one
 * machine: what a round ships and how long its parts take at scale. Pure arithmetic; {@link
 * ScaleBenchmark} measures the inputs and prints the predictions.
 *
 * <p>What SparkTrainer does per round: broadcast the model snapshot (parameters, optimizer state
 * and every partition's carried recurrent state), run {@code every} windows on each partition,
 * and sum the partitions' results in a {@code PartitionTree}: with more than 4 partitions, executors
 * first sum contiguous blocks of B partitions (B a power of two near sqrt(N); {@code
 * PartitionTree.blockSize}), so the driver receives and adds ceil(N / B) block sums, not N
 * results. The model charges a block's reducer with B results in (blocks in parallel) and B
 * merges, the driver's link with the block sums and the driver's CPU with their merges.
 *
 * @param secondsPerToken one executor core's training time per token (example)
 * @param params parameter count
 * @param stateSlots optimizer state floats per parameter (Adam 2, SGD with momentum 1)
 * @param carriedFloats recurrent state a partition carries between rounds (0 for a classifier)
 * @param tokensPerStep tokens (examples) one partition trains per window (minibatch)
 * @param tokensPerEpoch tokens (examples) of one epoch
 * @param costs the round's costs beyond training and the network ({@link Overheads})
 * @param bytesPerSecond network bandwidth of one link (10 Gb/s: 1.25e9)
 */
record CostModel(double secondsPerToken, long params, int stateSlots, long carriedFloats,
    long tokensPerStep, long tokensPerEpoch, Overheads costs, double bytesPerSecond) {
  /** Spark's broadcast block size (spark.broadcast.blockSize, 4 MiB). */
  static final long BLOCK = 4L << 20;
  /** The coordination share the recommended interval stays under. */
  static final double TARGET_SHARE = 0.05;

  /**
   * What a round costs beyond the executors' training and the network, in seconds.
   *
   * @param merge deserialising a partition's (or block's) result and adding it to the sum, as
   *     the driver and each block's reducer do
   * @param receive the driver's further work for each result it takes in through Spark (a large
   *     result goes through the block manager)
   * @param task the driver's work for every task: scheduling it, sending it, taking its status
   *     (serial on the driver, so it grows with N)
   * @param executorTask an executor's work for a task outside its run: deserialising the task,
   *     serialising its result (parallel across executors: once per stage at scale)
   * @param stage the driver's work to start a round's second stage (the blocks' reducers)
   * @param fixed per-round work that does not grow with N (job submission, averaging)
   */
  record Overheads(double merge, double receive, double task, double executorTask, double stage,
      double fixed) {
    Overheads withFixed(double seconds) {
      return new Overheads(merge, receive, task, executorTask, stage, seconds);
    }
  }

  /**
   * This model for a batch split over the partitions: one partition trains {@code share} of the
   * {@code whole} streams (sequences) of this model's step, at {@code seconds} per token (a small
   * share trains slower per token), and carries state for its share only.
   */
  CostModel withBatchShare(int share, int whole, double seconds) {
    return new CostModel(seconds, params, stateSlots, carriedFloats / whole * share,
        tokensPerStep / whole * share, tokensPerEpoch, costs, bytesPerSecond);
  }

  /** Bytes broadcast per round: parameters, optimizer state, N partitions' carried states. */
  long broadcastBytes(int n) {
    return 4 * (params * (1 + stateSlots) + n * carriedFloats);
  }

  /** Bytes one partition sends back per round (floats: parameters, state, its carried state). */
  long resultBytes() {
    return 4 * (params * (1 + stateSlots) + carriedFloats);
  }

  /**
   * Bytes of one block's sum: RoundResult sums in double precision (8 bytes a value, which keeps
   * the sum exact enough to be independent of grouping), plus the block's carried states.
   */
  long blockSumBytes(int n) {
    return 8 * params * (1 + stateSlots) + 4L * blockSize(n) * carriedFloats;
  }

  /** Bytes the driver receives per round: every partition's result, or one sum per block. */
  long driverBytes(int n) {
    return blockSize(n) == 1 ? n * resultBytes() : driverMerges(n) * blockSumBytes(n);
  }

  /** Partitions per executor-side block (1: the driver merges every partition's result). */
  static int blockSize(int n) {
    return PartitionTree.blockSize(n);
  }

  /** Values the driver receives and merges: one per block. */
  static int driverMerges(int n) {
    return (n + blockSize(n) - 1) / blockSize(n);
  }

  /**
   * Broadcast time: Spark's torrent broadcast sends the snapshot in blocks that executors pass
   * on to each other; with b blocks, N executors hold all of them after about b + log2(N) block
   * times (pipelined doubling).
   */
  double broadcastSeconds(int n) {
    long bytes = broadcastBytes(n);
    long blocks = (bytes + BLOCK - 1) / BLOCK;
    double blockSeconds = Math.min(bytes, BLOCK) / bytesPerSecond;
    return (blocks + Math.ceil(log2(n))) * blockSeconds;
  }

  /**
   * Aggregation's network time: B results into each block's reducer (in parallel), then the
   * block sums (double precision) into the driver's link.
   */
  double aggregateNetworkSeconds(int n) {
    int block = blockSize(n);
    double hop = block == 1 ? 0 : (double) block * resultBytes() / bytesPerSecond;
    return hop + (double) driverBytes(n) / bytesPerSecond;
  }

  /**
   * Merging: B merges in each block's reducer (in parallel), then the driver's, each of which
   * also takes its result in through Spark.
   */
  double mergeSecondsTotal(int n) {
    int block = blockSize(n);
    return (block == 1 ? 0 : block) * costs.merge() + driverResultSeconds(n);
  }

  /** The driver's work on the results it receives: one per block. */
  double driverResultSeconds(int n) {
    return driverMerges(n) * (costs.merge() + costs.receive());
  }

  /** Tasks of a round: one per partition, then (with blocks) one per block's reducer. */
  static int tasks(int n) {
    return n + (blockSize(n) == 1 ? 0 : driverMerges(n));
  }

  /**
   * The tasks' cost beyond their runs on {@code executors} executors (one task at a time each):
   * the driver's work for every task and for starting the second stage (with blocks), and each
   * stage's waves of executor-side overhead.
   */
  double taskSecondsTotal(int n, int executors) {
    return tasks(n) * costs.task() + waves(n, executors) * costs.executorTask()
        + (blockSize(n) == 1 ? 0 : costs.stage());
  }

  /** Rounds of tasks the executors run one after another: per stage, tasks over executors. */
  static int waves(int n, int executors) {
    return ceilDiv(n, executors) + (blockSize(n) == 1 ? 0 : ceilDiv(driverMerges(n), executors));
  }

  /**
   * What a round spends outside its tasks' runs and the network, on {@code executors} executors:
   * the fixed part, the tasks' driver work and overhead, and the driver's results (the blocks'
   * merges run inside their reducers' tasks).
   */
  double outsideTasksSeconds(int n, int executors) {
    return costs.fixed() + taskSecondsTotal(n, executors) + driverResultSeconds(n);
  }

  /** A round's coordination on N executors: everything but their training. */
  double coordinationSeconds(int n) {
    return costs.fixed() + taskSecondsTotal(n, n) + mergeSecondsTotal(n) + broadcastSeconds(n)
        + aggregateNetworkSeconds(n);
  }

  double computeSeconds(int every) {
    return secondsPerToken * every * tokensPerStep;
  }

  /**
   * One epoch on N executors averaging every {@code every} windows, at the steady rate of whole
   * rounds (an epoch shorter than a round, as Moby-Dick is at 128 executors, is a fraction).
   */
  double epochSeconds(int n, int every) {
    double rounds = tokensPerEpoch / ((double) n * every * tokensPerStep);
    return rounds * (computeSeconds(every) + coordinationSeconds(n));
  }

  /** Speed-up over one executor training alone (no coordination at all). */
  double speedUp(int n, int every) {
    return speedUpOver(this, n, every);
  }

  /** Speed-up over one executor training as {@code alone} does (e.g. at the whole batch). */
  double speedUpOver(CostModel alone, int n, int every) {
    return alone.secondsPerToken * alone.tokensPerEpoch / epochSeconds(n, every);
  }

  /** Coordination's share of a round. */
  double coordinationShare(int n, int every) {
    double c = coordinationSeconds(n);
    return c / (c + computeSeconds(every));
  }

  /** The smallest interval (windows) that keeps coordination at or under TARGET_SHARE. */
  int intervalForShare(int n) {
    double needed = (1 - TARGET_SHARE) / TARGET_SHARE * coordinationSeconds(n)
        / (secondsPerToken * tokensPerStep);
    return (int) Math.max(1, Math.ceil(needed - 1e-9));
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private static double log2(int n) {
    return Math.log(n) / Math.log(2);
  }
}
