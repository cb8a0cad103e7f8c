package io.sparklstm.train;

/**
 * One averaging round as the driver saw it: what was trained, how fast, and where the time went
 * (the slowest task's compute against broadcast and aggregation on the driver), and the largest
 * executor resident set (RSS: heap and off-heap) seen at the end of a task.
 */
public record RoundRecord(int epoch, int round, int rounds, long examples, double loss,
    double accuracy, double examplesPerSecond, double computeSeconds, double broadcastSeconds,
    double aggregateSeconds, double wallSeconds, long executorResidentBytes) {

  public String summary() {
    return String.format("epoch %d round %d/%d  loss %.4f acc %.4f  %d examples  %.0f/s  "
            + "compute %.2f s broadcast %.3f s aggregate %.3f s", epoch, round + 1, rounds, loss,
        accuracy, examples, examplesPerSecond, computeSeconds, broadcastSeconds, aggregateSeconds);
  }
}
