package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Analytic gradients against central finite differences, in double precision, for every
 * parameter tensor and the initial state, with padded steps, for both heads and all input kinds.
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
    int vocab = 5;
    int features = 3;
    ModelSpec spec = new ModelSpec(in, in == InputKind.DENSE ? features : vocab,
        in == InputKind.EMBEDDING ? 3 : 0, 4, 2, head, 4);
    int bsz = 3;
    int steps = 5;
    LstmNetwork net = new LstmNetwork(spec, Precision.DOUBLE, bsz, steps);
    net.initialize(7);
    Batch batch = TestBatches.random(spec, bsz, steps, 11, true);
    RecurrentState start = TestBatches.randomState(net, bsz, 13);

    RecurrentState state = TestBatches.copy(net, start);
    net.forwardBackward(batch, state, new LossTotals());
    double[] analytic = net.grads().toDoubleArray();
    double[][] dh0 = new double[spec.layers()][];
    double[][] dc0 = new double[spec.layers()][];
    for (int l = 0; l < spec.layers(); l++) {
      dh0[l] = net.initialStateGradientH(l).toDoubleArray();
      dc0[l] = net.initialStateGradientC(l).toDoubleArray();
    }
    DoubleSupplier loss = () -> {
      LossTotals t = new LossTotals();
      net.forward(batch, TestBatches.copy(net, start), t);
      return t.meanLoss();
    };

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
    System.out.println(in + "/" + head + " max relative error " + report);
    assertTrue(worst <= TOLERANCE, "max relative error " + worst + ": " + report);
    assertTrue(TestBatches.norm(analytic) > 1e-3, "gradient is not trivially zero");
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
