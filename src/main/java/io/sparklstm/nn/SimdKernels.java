package io.sparklstm.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float LSTM's element-wise work with the Vector API (AVX-512: 16 lanes; several times
 * faster than scalar {@code Math.exp} per gate here). Only
 * loaded when the {@code jdk.incubator.vector} module is present (see {@link Simd}); the scalar
 * code in {@link LstmLayer} is the reference and the double-precision path.
 *
 * <p>Offsets are in floats; buffers are the native-order views of {@link Vec.F32}.
 */
final class SimdKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

  private SimdKernels() {}

  private static FloatVector load(ByteBuffer b, int offset) {
    return FloatVector.fromByteBuffer(S, b, offset * 4, NATIVE);
  }

  private static void store(FloatVector v, ByteBuffer b, int offset) {
    v.intoByteBuffer(b, offset * 4, NATIVE);
  }

  /**
   * e^x from exact IEEE operations only (Cody-Waite reduction, a degree-6 polynomial, 2^n built
   * from bits; relative error about 2e-7). The Vector API's own EXP gives different bits when
   * the JIT has not yet intrinsified a call, which would make results depend on compilation
   * timing; these operations give the same bits in every tier, so training stays
   * bit-reproducible.
   */
  static FloatVector exp(FloatVector x) {
    FloatVector v = x.max(-87f).min(88f);
    FloatVector shifted = v.fma(FloatVector.broadcast(S, 1.44269504f),
        FloatVector.broadcast(S, 12582912f)); // 1.5 * 2^23: rounds x log2(e) to an integer
    FloatVector n = shifted.sub(12582912f);
    FloatVector r = n.fma(FloatVector.broadcast(S, -0.693145752f), v);
    r = n.fma(FloatVector.broadcast(S, -1.42860677e-6f), r);
    FloatVector p = r.fma(FloatVector.broadcast(S, 1f / 720), FloatVector.broadcast(S, 1f / 120));
    p = p.fma(r, FloatVector.broadcast(S, 1f / 24));
    p = p.fma(r, FloatVector.broadcast(S, 1f / 6));
    p = p.fma(r, FloatVector.broadcast(S, 0.5f));
    p = p.fma(r, FloatVector.broadcast(S, 1f));
    p = p.fma(r, FloatVector.broadcast(S, 1f));
    IntVector bits = shifted.reinterpretAsInts().sub(0x4B400000).add(127)
        .lanewise(VectorOperators.LSHL, 23);
    return p.mul(bits.reinterpretAsFloats());
  }

  private static FloatVector sigmoid(FloatVector x) {
    return FloatVector.broadcast(S, 1f).div(exp(x.neg()).add(1f));
  }

  /** tanh(x) = 1 - 2 / (1 + e^{2x}). */
  static FloatVector tanh(FloatVector x) {
    return FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f)
        .div(exp(x.add(x)).add(1f)));
  }

  /** Number of leading elements of {@code n} the vector loops cover; the rest go scalar. */
  static int bound(int n) {
    return S.loopBound(n);
  }

  /*
   * Each kernel is a small method on purpose: C2 intrinsifies a vector operation only when the
   * whole chain of calls under it is inlined, and one big kernel exceeds the inlining budget;
   * the operations left out then run as plain Java that allocates an array per vector.
   */

  /**
   * One row of the forward gate math for units {@code [0, bound(h))}: z (i, f, g, o blocks)
   * becomes activations, c_new = f c_prev + i g, tanhC = tanh(c_new), h_new = o tanhC.
   */
  static void forwardRow(ByteBuffer z, int zr, int h, ByteBuffer c, int cPrev, int cNew,
      ByteBuffer tanhC, int tc, ByteBuffer hs, int hNew) {
    int n = bound(h);
    sigmoidInPlace(z, zr, n);
    sigmoidInPlace(z, zr + h, n);
    tanhInPlace(z, zr + 2 * h, n);
    sigmoidInPlace(z, zr + 3 * h, n);
    cellRow(z, zr, h, n, c, cPrev, cNew, tanhC, tc, hs, hNew);
  }

  private static void sigmoidInPlace(ByteBuffer b, int offset, int n) {
    for (int j = 0; j < n; j += S.length()) {
      store(sigmoid(load(b, offset + j)), b, offset + j);
    }
  }

  private static void tanhInPlace(ByteBuffer b, int offset, int n) {
    for (int j = 0; j < n; j += S.length()) {
      store(tanh(load(b, offset + j)), b, offset + j);
    }
  }

  private static void cellRow(ByteBuffer z, int zr, int h, int n, ByteBuffer c, int cPrev,
      int cNew, ByteBuffer tanhC, int tc, ByteBuffer hs, int hNew) {
    for (int j = 0; j < n; j += S.length()) {
      FloatVector cn = load(z, zr + h + j).fma(load(c, cPrev + j),
          load(z, zr + j).mul(load(z, zr + 2 * h + j)));
      FloatVector t = tanh(cn);
      store(cn, c, cNew + j);
      store(t, tanhC, tc + j);
      store(load(z, zr + 3 * h + j).mul(t), hs, hNew + j);
    }
  }

  /**
   * One row of the backward gate math for units {@code [0, bound(h))}: activations in z become
   * dL/dz; dc becomes dL/dc_{t-1}; dhPrev is zeroed for the recurrent GEMM to add into.
   */
  static void backwardRow(ByteBuffer z, int zr, int h, ByteBuffer tanhC, int tc, ByteBuffer dh,
      ByteBuffer dc, int s, ByteBuffer c, int cPrev, ByteBuffer dhPrev) {
    int n = bound(h);
    outputGateRow(z, zr + 3 * h, n, tanhC, tc, dh, dc, s, dhPrev);
    cellGatesRow(z, zr, h, n, dc, s, c, cPrev);
  }

  /** dc += dh o (1 - tanh^2 c); dz_o = dh tanh(c) o (1 - o); dhPrev = 0. */
  private static void outputGateRow(ByteBuffer z, int zo, int n, ByteBuffer tanhC, int tc,
      ByteBuffer dh, ByteBuffer dc, int s, ByteBuffer dhPrev) {
    FloatVector zero = FloatVector.zero(S);
    for (int j = 0; j < n; j += S.length()) {
      FloatVector og = load(z, zo + j);
      FloatVector t = load(tanhC, tc + j);
      FloatVector dhv = load(dh, s + j);
      store(load(dc, s + j).add(dhv.mul(og).mul(t.mul(t).neg().add(1f))), dc, s + j);
      store(dhv.mul(t).mul(og).mul(og.neg().add(1f)), z, zo + j);
      store(zero, dhPrev, s + j);
    }
  }

  /** dz_i, dz_f, dz_g from dc; then dc = dc f (the gradient reaching c_{t-1}). */
  private static void cellGatesRow(ByteBuffer z, int zr, int h, int n, ByteBuffer dc, int s,
      ByteBuffer c, int cPrev) {
    for (int j = 0; j < n; j += S.length()) {
      FloatVector ig = load(z, zr + j);
      FloatVector fg = load(z, zr + h + j);
      FloatVector gg = load(z, zr + 2 * h + j);
      FloatVector dcv = load(dc, s + j);
      store(dcv.mul(gg).mul(ig).mul(ig.neg().add(1f)), z, zr + j);
      store(dcv.mul(load(c, cPrev + j)).mul(fg).mul(fg.neg().add(1f)), z, zr + h + j);
      store(dcv.mul(ig).mul(gg.mul(gg).neg().add(1f)), z, zr + 2 * h + j);
      store(dcv.mul(fg), dc, s + j);
    }
  }

  /** {@code dst[d..d+n) += src[s..s+n)} for the vector-covered prefix; returns its length. */
  static int add(ByteBuffer dst, int d, ByteBuffer src, int s, int n) {
    int end = bound(n);
    for (int j = 0; j < end; j += S.length()) {
      store(load(dst, d + j).add(load(src, s + j)), dst, d + j);
    }
    return end;
  }

  /** {@code dst[d..d+n) = src[s..s+n)} for the vector-covered prefix; returns its length. */
  static int copy(ByteBuffer src, int s, ByteBuffer dst, int d, int n) {
    int end = bound(n);
    for (int j = 0; j < end; j += S.length()) {
      store(load(src, s + j), dst, d + j);
    }
    return end;
  }
}
