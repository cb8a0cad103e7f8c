package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.ModelSpec.Pooling;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Analytic gradients against central finite differences, in double precision, for every
 * parameter tensor and the initial state, with padded steps, for both heads and all input kinds;
 * then with dropout (fixed masks: one mask seed), bidirectional layers and mean/max pooling.
 */
class GradientCheckTest {
  static final double TOLERANCE = 1e-6;

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
    java.util.List<org.junit.jupiter.params.provider.Arguments> all = new java.util.ArrayList<>();
    for (InputKind in : InputKind.values()) {
      for (HeadKind head : HeadKind.values()) {
        all.add(org.junit.jupiter.params.provider.Arguments.of(in, head));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} input, {1} head")
  @MethodSource("cases")
  void analyticGradientMatchesFiniteDifferences(InputKind in, HeadKind head) {
    check(spec(in, head), in + "/" + head, 7);
  }

  static ModelSpec spec(InputKind in, HeadKind head) {
    int vocab = 5;
    int features = 3;
    return new ModelSpec(in, in == InputKind.DENSE ? features : vocab,
        in == InputKind.EMBEDDING ? 3 : 0, 4, 2, head, 4);
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> features() {
    java.util.List<org.junit.jupiter.params.provider.Arguments> all = new java.util.ArrayList<>();
    Dropout drop = new Dropout(0.3, 0.4, 0.25);
    for (InputKind in : InputKind.values()) {
      for (HeadKind head : HeadKind.values()) {
        all.add(org.junit.jupiter.params.provider.Arguments.of("dropout " + in + "/" + head,
            spec(in, head).with(false, Pooling.LAST, drop), 7));
        all.add(org.junit.jupiter.params.provider.Arguments.of("bidirectional " + in + "/" + head,
            spec(in, head).with(true, Pooling.LAST, Dropout.NONE), 7));
      }
    }
    // Max pooling: seeds (found by search) where every maximum it takes is clear of the
    // runner-up by more than 0.01, so that no finite-difference step changes which step wins.
    ModelSpec dense = spec(InputKind.DENSE, HeadKind.LAST_STEP);
    all.add(org.junit.jupiter.params.provider.Arguments.of("mean",
        dense.with(false, Pooling.MEAN, Dropout.NONE), 7));
    all.add(org.junit.jupiter.params.provider.Arguments.of("mean bi",
        dense.with(true, Pooling.MEAN, Dropout.NONE), 7));
    all.add(org.junit.jupiter.params.provider.Arguments.of("max",
        dense.with(false, Pooling.MAX, Dropout.NONE), 145));
    all.add(org.junit.jupiter.params.provider.Arguments.of("max bi",
        dense.with(true, Pooling.MAX, Dropout.NONE), 2671));
    all.add(org.junit.jupiter.params.provider.Arguments.of("bi, max, dropout",
        spec(InputKind.EMBEDDING, HeadKind.LAST_STEP).with(true, Pooling.MAX, drop), 938));
    return all.stream();
  }

  /** Two stacked layers, ragged masks (see {@link TestBatches#random}), fixed dropout masks. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("features")
  void layerFeaturesMatchFiniteDifferences(String name, ModelSpec spec, long seed) {
    check(spec, name, seed);
  }

  /** The check of one spec: initialisation from {@code seed}, data from seed + 4 and + 6. */
  private static void check(ModelSpec spec, String name, long seed) {
    check(spec, name, seed, TestBatches.random(spec, 3, 5, seed + 4, true));
  }

  /** The check of one spec on {@code batch}: initialisation from {@code seed}. */
  static void check(ModelSpec spec, String name, long seed, Batch batch) {
    int bsz = batch.batch();
    int steps = batch.steps();
    long maskSeed = 99;
    LstmNetwork net = new LstmNetwork(spec, Precision.DOUBLE, bsz, steps);
    net.initialize(seed);
    RecurrentState start = TestBatches.randomState(net, bsz, seed + 6);

    RecurrentState state = TestBatches.copy(net, start);
    LossTotals trained = new LossTotals();
    net.forwardBackward(batch, state, trained, maskSeed);
    double[] analytic = net.grads().toDoubleArray();
    double[][] dh0 = new double[spec.layers()][];
    double[][] dc0 = new double[spec.layers()][];
    for (int l = 0; l < spec.layers(); l++) {
      dh0[l] = net.initialStateGradientH(l).toDoubleArray();
      dc0[l] = net.initialStateGradientC(l).toDoubleArray();
    }
    DoubleSupplier loss = () -> {
      LossTotals t = new LossTotals();
      net.forward(batch, TestBatches.copy(net, start), t, maskSeed);
      return t.meanLoss();
    };
    if (spec.pooling() == Pooling.MAX) {
      double margin = maxPoolingMargin(net, batch);
      assertTrue(margin > 0.01, "max pooling is ambiguous (margin " + margin + ") for steps of "
          + "1e-3 in the finite differences; pick another seed");
    }
    if (spec.dropout().any()) {
      LossTotals eval = new LossTotals();
      net.forward(batch, TestBatches.copy(net, start), eval);
      assertTrue(eval.lossSum() != trained.lossSum(), "the masks drop something");
    }

    StringBuilder report = new StringBuilder();
    double worst = 0;
    for (ParamLayout.Tensor t : net.layout().tensors()) {
      double e = maxRelativeError(net.params(), t.offset(), t.size(), analytic, t.offset(), loss);
      report.append(String.format("%s=%.2e ", t.name(), e));
      worst = Math.max(worst, e);
    }
    for (int l = 0; l < spec.layers(); l++) {
      double eh = maxRelativeError(start.h(l), 0, start.h(l).size(), dh0[l], 0, loss);
      double ec = maxRelativeError(start.c(l), 0, start.c(l).size(), dc0[l], 0, loss);
      report.append(String.format("h0[%d]=%.2e c0[%d]=%.2e ", l, eh, l, ec));
      worst = Math.max(worst, Math.max(eh, ec));
    }
    System.out.println(name + " max relative error " + report);
    assertTrue(worst <= TOLERANCE, "max relative error " + worst + ": " + report);
    assertTrue(TestBatches.norm(analytic) > 1e-3, "gradient is not trivially zero");
  }

  /**
   * The smallest gap between the largest and the second largest value that max pooling chooses
   * from (a unit of one direction of the top layer over a sequence's real steps): the finite
   * differences are only meaningful when no perturbation changes which step is largest.
   */
  private static double maxPoolingMargin(LstmNetwork net, Batch batch) {
    ModelSpec spec = net.spec();
    int h = spec.hiddenSize();
    int bsz = batch.batch();
    double margin = Double.POSITIVE_INFINITY;
    for (int d = 0; d < spec.directions(); d++) {
      LstmLayer top = net.layer(spec.layers() - 1, d);
      for (int b = 0; b < bsz; b++) {
        for (int j = 0; j < h; j++) {
          double first = Double.NEGATIVE_INFINITY;
          double second = Double.NEGATIVE_INFINITY;
          for (int t = 0; t < batch.steps(); t++) {
            int r = t * bsz + b;
            if (batch.isReal(r)) {
              double v = top.h.get(top.outputOffset(bsz) + r * h + j);
              second = Math.max(second, Math.min(first, v));
              first = Math.max(first, v);
            }
          }
          margin = Math.min(margin, first - second);
        }
      }
    }
    return margin;
  }

  /**
   * Largest |analytic - numeric| / max(|analytic| + |numeric|, 1e-6) over {@code n} entries of
   * {@code v}, the numeric value from a sixth-order central difference (step 1e-3: truncation
   * and rounding errors both stay near 1e-13, far below the tolerance).
   */
  static double maxRelativeError(Vec v, int offset, int n, double[] analytic, int aOffset,
      DoubleSupplier loss) {
    double eps = 1e-3;
    double[] coefficients = {-1, 9, -45, 45, -9, 1};
    double[] shifts = {-3, -2, -1, 1, 2, 3};
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double x = v.get(offset + i);
      double sum = 0;
      for (int s = 0; s < shifts.length; s++) {
        v.set(offset + i, x + shifts[s] * eps);
        sum += coefficients[s] * loss.getAsDouble();
      }
      v.set(offset + i, x);
      double numeric = sum / (60 * eps);
      double a = analytic[aOffset + i];
      double err = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-6);
      worst = Math.max(worst, err);
    }
    return worst;
  }
}
