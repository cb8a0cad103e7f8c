package io.sparklstm.optim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link UpdateRule.Adam} on float parameters with the Vector API, in float arithmetic as
 * PyTorch's Adam on float tensors: each lane is the IEEE operations of the scalar tail in
 * {@link UpdateRule.Adam}, in the same order, so every element gets the same bits either way.
 * (The double arithmetic the float path had before needs a second vector shape, which C2 could
 * not keep apart from the network kernels' shape: it boxed every vector.) Only loaded when the
 * vector module is present.
 */
final class AdamKernel {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
  /** Elements a call of {@link #chunk} updates: a short method called often compiles early. */
  private static final int CHUNK = 1024;

  private AdamKernel() {}

  /**
   * Updates elements [0, result) of p and of the moments m and v (state at byte offsets 0 and
   * {@code vAt}); the caller updates the rest.
   */
  static int apply(ByteBuffer p, ByteBuffer g, ByteBuffer state, int vAt, int n, float beta1,
      float beta2, float epsilon, float stepSize, float c2) {
    int end = F.loopBound(n);
    for (int from = 0; from < end; from += CHUNK) {
      chunk(p, g, state, vAt, from, Math.min(end, from + CHUNK), beta1, beta2, epsilon, stepSize,
          c2);
    }
    return end;
  }

  private static void chunk(ByteBuffer p, ByteBuffer g, ByteBuffer state, int vAt, int from,
      int to, float beta1, float beta2, float epsilon, float stepSize, float c2) {
    for (int i = from; i < to; i += F.length()) {
      int at = i * Float.BYTES;
      FloatVector gi = FloatVector.fromByteBuffer(F, g, at, NATIVE);
      FloatVector m = FloatVector.fromByteBuffer(F, state, at, NATIVE).mul(beta1)
          .add(gi.mul(1 - beta1));
      FloatVector v = FloatVector.fromByteBuffer(F, state, vAt + at, NATIVE).mul(beta2)
          .add(gi.mul(1 - beta2).mul(gi));
      m.intoByteBuffer(state, at, NATIVE);
      v.intoByteBuffer(state, vAt + at, NATIVE);
      FloatVector denominator = v.lanewise(VectorOperators.SQRT).div(c2).add(epsilon);
      FloatVector.fromByteBuffer(F, p, at, NATIVE).sub(m.mul(stepSize).div(denominator))
          .intoByteBuffer(p, at, NATIVE);
    }
  }
}
