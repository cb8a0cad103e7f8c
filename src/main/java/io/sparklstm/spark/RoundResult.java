package io.sparklstm.spark;

import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.Vec;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;

/**
 * What partitions send back from a round, summed: parameters and optimizer state weighted by the
 * examples each partition trained on, the total weight, loss totals, the slowest task's compute
 * time, the largest executor resident set and each partition's carried recurrent state.
 *
 * <p>A partition sends its parameters and state as they are, in float (half the bytes of a
 * weighted double copy to serialize, ship and read back every round); the first sum they enter
 * weights them in double. Sums are in double: a float times an example count is exact there, so
 * N identical models average back to the same bits.
 */
public final class RoundResult implements PartitionTree.Summable<RoundResult> {
  /** One partition's own values (weight = its examples), until it enters a sum. */
  private float[] leafParams;
  private float[] leafOptimizerState;
  /** Weighted sums; null while this is a single partition's result. */
  private double[] params;
  private double[] optimizerState;
  private double weight;
  private long optimizerSteps;
  private double lossSum;
  private long count;
  private long correct;
  private double maxTaskSeconds;
  private long maxResidentBytes;
  private final Map<Integer, float[]> carriedStates = new HashMap<>();

  private RoundResult(float[] params, float[] optimizerState) {
    this.leafParams = params;
    this.leafOptimizerState = optimizerState;
  }

  /** One partition's contribution. */
  public static RoundResult of(Vec params, Vec optimizerState, long weight, long optimizerSteps,
      LossTotals loss, double taskSeconds) {
    RoundResult r = new RoundResult(params.toFloatArray(), optimizerState.toFloatArray());
    r.weight = weight;
    r.optimizerSteps = optimizerSteps;
    r.lossSum = loss.lossSum();
    r.count = loss.count();
    r.correct = loss.correct();
    r.maxTaskSeconds = taskSeconds;
    r.maxResidentBytes = Pointer.physicalBytes();
    return r;
  }

  /** Turns a single partition's values into weighted sums (once). */
  private void toSums() {
    if (params == null) {
      params = weighted(leafParams, weight);
      optimizerState = weighted(leafOptimizerState, weight);
      leafParams = null;
      leafOptimizerState = null;
    }
  }

  private static double[] weighted(float[] v, double weight) {
    double[] out = new double[v.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = v[i] * weight;
    }
    return out;
  }

  public RoundResult withCarriedState(int partition, float[] state) {
    carriedStates.put(partition, state);
    return this;
  }

  /** {@code sum += other}, weighting a single partition's values on the way (no copy of them). */
  private static void add(double[] sum, double[] otherSums, float[] otherLeaf, double weight) {
    if (otherSums != null) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += otherSums[i];
      }
    } else {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += otherLeaf[i] * weight;
      }
    }
  }

  @Override
  public RoundResult plus(RoundResult o) {
    toSums();
    add(params, o.params, o.leafParams, o.weight);
    add(optimizerState, o.optimizerState, o.leafOptimizerState, o.weight);
    weight += o.weight;
    optimizerSteps = Math.max(optimizerSteps, o.optimizerSteps);
    lossSum += o.lossSum;
    count += o.count;
    correct += o.correct;
    maxTaskSeconds = Math.max(maxTaskSeconds, o.maxTaskSeconds);
    maxResidentBytes = Math.max(maxResidentBytes, o.maxResidentBytes);
    carriedStates.putAll(o.carriedStates);
    return this;
  }

  /** The weighted mean of the parameters, rounded once to float. */
  public float[] averageParams() {
    toSums();
    return average(params);
  }

  /** The weighted mean of the optimizer state. */
  public float[] averageOptimizerState() {
    toSums();
    return average(optimizerState);
  }

  private float[] average(double[] sum) {
    if (weight <= 0) {
      throw new IllegalStateException("no partition trained on any example this round");
    }
    float[] out = new float[sum.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (sum[i] / weight);
    }
    return out;
  }

  public double weight() {
    return weight;
  }

  public long optimizerSteps() {
    return optimizerSteps;
  }

  public LossTotals loss() {
    LossTotals t = new LossTotals();
    t.add(lossSum, count, correct);
    return t;
  }

  public double maxTaskSeconds() {
    return maxTaskSeconds;
  }

  /** The largest resident set (heap and off-heap) of an executor process at the end of a task. */
  public long maxResidentBytes() {
    return maxResidentBytes;
  }

  public Map<Integer, float[]> carriedStates() {
    return carriedStates;
  }
}
