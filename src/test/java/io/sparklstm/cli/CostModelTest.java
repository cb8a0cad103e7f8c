package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The round cost model's arithmetic, against figures worked out by hand. */
class CostModelTest {
  /**
   * 1,000,000 parameters with Adam (2 slots), 10,000 carried floats, 100 tokens a step at 1e-5 s
   * each (1 ms a step), 1 ms a merge, 4 ms more for each result the driver takes in, 2 ms of
   * driver work and 0.5 ms of executor overhead a task, 3 ms to start a second stage, 10 ms
   * fixed, 1e9 B/s, 1e8 tokens an epoch.
   */
  private static final CostModel M = new CostModel(1e-5, 1_000_000, 2, 10_000, 100,
      100_000_000, new CostModel.Overheads(1e-3, 4e-3, 2e-3, 5e-4, 3e-3, 0.01), 1e9);

  @Test
  void bytesCountParametersStateAndCarriedStates() {
    assertEquals(12_040_000, M.resultBytes());
    assertEquals(4 * (3_000_000 + 8 * 10_000), M.broadcastBytes(8));
  }

  @Test
  void blocksArePowersOfTwoNearTheSquareRoot() {
    assertEquals(1, CostModel.blockSize(1));
    assertEquals(1, CostModel.blockSize(4));
    assertEquals(2, CostModel.blockSize(5)); // ceil(sqrt 5) = 3 -> 2
    assertEquals(2, CostModel.blockSize(8));
    assertEquals(4, CostModel.blockSize(16));
    assertEquals(8, CostModel.blockSize(64));
    assertEquals(8, CostModel.blockSize(128)); // ceil(sqrt 128) = 12 -> 8
    assertEquals(3, CostModel.driverMerges(5));
    assertEquals(4, CostModel.driverMerges(8));
    assertEquals(16, CostModel.driverMerges(128));
  }

  @Test
  void roundTermsAtEightExecutors() {
    int n = 8;
    long bytes = M.broadcastBytes(n); // 12,320,000: 3 blocks of 4 MiB, log2 8 = 3
    assertEquals((3 + 3) * (4 << 20) / 1e9, M.broadcastSeconds(n), 1e-12);
    assertEquals(3, (bytes + CostModel.BLOCK - 1) / CostModel.BLOCK);
    // Blocks of 2: 2 results into each block's reducer, then 4 block sums into the driver, each
    // 8 bytes a parameter and state value plus its 2 partitions' carried floats; 2 merges in a
    // reducer, then 4 on the driver.
    assertEquals(8 * 3_000_000 + 4 * 2 * 10_000, M.blockSumBytes(n));
    assertEquals(4 * M.blockSumBytes(n), M.driverBytes(n));
    assertEquals(4 * 12_040_000, M.driverBytes(4), "no blocks up to 4 partitions");
    assertEquals((2 * 12_040_000 + 4 * 24_080_000) / 1e9, M.aggregateNetworkSeconds(n), 1e-12);
    // 2 merges in a reducer, then 4 on the driver, each with its 4 ms of taking the result in
    assertEquals(2e-3 + 4 * 5e-3, M.mergeSecondsTotal(n), 1e-15);
    // 8 training tasks and 4 reducers, each 2 ms of the driver's, and the reducers' stage to
    // start; on 8 executors each stage's executor overhead is paid once (in parallel): 2 waves.
    assertEquals(12, CostModel.tasks(n));
    assertEquals(12 * 2e-3 + 2 * 5e-4 + 3e-3, M.taskSecondsTotal(n, n), 1e-15);
    assertEquals(4 * 2e-3 + 5e-4, M.taskSecondsTotal(4, 4), 1e-15, "one stage up to 4");
    double coordination = 0.01 + M.broadcastSeconds(n) + M.aggregateNetworkSeconds(n) + 22e-3
        + 12 * 2e-3 + 2 * 5e-4 + 3e-3;
    assertEquals(coordination, M.coordinationSeconds(n), 1e-12);
    // 50 steps of 1 ms; 1e8 / (8 * 50 * 100) = 2,500 rounds an epoch.
    assertEquals(0.05, M.computeSeconds(50), 1e-12);
    assertEquals(2500 * (0.05 + coordination), M.epochSeconds(n, 50), 1e-6);
    assertEquals(1000 / M.epochSeconds(n, 50), M.speedUp(n, 50), 1e-9);
    assertEquals(coordination / (coordination + 0.05), M.coordinationShare(n, 50), 1e-12);
  }

  @Test
  void theIntervalKeepsCoordinationAtFivePercentAndNoShorterOneDoes() {
    for (int n : new int[] {1, 8, 32, 128}) {
      int k = M.intervalForShare(n);
      assertTrue(M.coordinationShare(n, k) <= CostModel.TARGET_SHARE + 1e-12, n + ": " + k);
      assertTrue(k == 1 || M.coordinationShare(n, k - 1) > CostModel.TARGET_SHARE, n + ": " + k);
    }
    assertTrue(M.intervalForShare(128) > M.intervalForShare(8), "more partitions, more bytes");
    // Without coordination a round costs nothing but compute: N executors are N times faster.
    CostModel free = new CostModel(1e-5, 0, 0, 0, 100, 100_000_000,
        new CostModel.Overheads(0, 0, 0, 0, 0, 0), 1e9);
    assertEquals(32, free.speedUp(32, 50), 1e-9);
    assertEquals(1, free.intervalForShare(32));
  }

  @Test
  void aSplitBatchShrinksTheStepAndTheCarriedStateAndIsComparedWithTheWholeBatch() {
    // M's step: 100 tokens of a batch of 4 streams (25 steps each), 10,000 carried floats.
    CostModel quarter = M.withBatchShare(1, 4, 3e-5); // one stream, 3x slower per token
    assertEquals(25, quarter.tokensPerStep());
    assertEquals(2_500, quarter.carriedFloats());
    assertEquals(50 * 25 * 3e-5, quarter.computeSeconds(50), 1e-15);
    // One epoch at one executor with the whole batch: 1e8 tokens x 1e-5 s = 1,000 s.
    assertEquals(1000 / quarter.epochSeconds(8, 50), quarter.speedUpOver(M, 8, 50), 1e-9);
  }

  @Test
  void onOneCoreEveryTasksOverheadIsPaidInTurnAndOnlyTheDriversMergesAreOutsideTasks() {
    // local[1], 8 partitions in blocks of 2: 8 + 4 tasks run one after another; the blocks'
    // merges happen inside the reducers' tasks, so only the driver's 4 are outside them.
    assertEquals(12, CostModel.waves(8, 1));
    assertEquals(0.01 + 12 * 2e-3 + 12 * 5e-4 + 3e-3 + 4 * 5e-3, M.outsideTasksSeconds(8, 1),
        1e-15);
    // local[2]: 4 waves of training tasks, then 2 of reducers
    assertEquals(6, CostModel.waves(8, 2));
    assertEquals(1, CostModel.waves(1, 2));
    assertEquals(2, CostModel.waves(3, 2), "no reducers up to 4 partitions");
  }
}
