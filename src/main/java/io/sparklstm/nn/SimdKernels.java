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
 *
 * <p>No method here takes or returns a vector: every vector lives inside one loop, whose body
 * calls the Vector API only. C2 turns a vector operation into instructions only when it inlines
 * the whole chain of calls under it, and a helper of ours that took or returned a vector (a load,
 * an exp) was sometimes left out: C1 compiles such a helper first into a large method, which C2
 * then declines to inline ("already compiled into a big method"), or the caller's node budget
 * ran out before it. The vector then went through the heap, and a 2 x 256 character model
 * allocated 10-77 MB a training step depending on compilation timing. The Vector API's own
 * methods are force-inlined, so a loop that calls only them is always compiled whole.
 */
final class SimdKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

  private SimdKernels() {}

  /** Number of leading elements of {@code n} the vector loops cover; the rest go scalar. */
  static int bound(int n) {
    return S.loopBound(n);
  }

  /**
   * {@code a[d..d+n) = e^(k a[s..s+n))} for {@code n} a multiple of the lane count, from exact
   * IEEE operations only (Cody-Waite reduction, a degree-6 polynomial, 2^n built from bits;
   * relative error about 2e-7). The Vector API's own EXP gives different bits when the JIT has
   * not yet intrinsified a call, which would make results depend on compilation timing; these
   * operations give the same bits in every tier, so training stays bit-reproducible. k is -1 or
   * 2 here: k x is then exact, the same bits as -x or x + x.
   */
  static void exp(float[] a, int s, int d, int n, float k) {
    for (int j = 0; j < n; j += S.length()) {
      FloatVector v = FloatVector.fromArray(S, a, s + j).mul(k).max(-87f).min(88f);
      FloatVector shifted = v.fma(FloatVector.broadcast(S, 1.44269504f),
          FloatVector.broadcast(S, 12582912f)); // 1.5 * 2^23: rounds x log2(e) to an integer
      FloatVector m = shifted.sub(12582912f);
      FloatVector r = m.fma(FloatVector.broadcast(S, -0.693145752f), v);
      r = m.fma(FloatVector.broadcast(S, -1.42860677e-6f), r);
      FloatVector p = r.fma(FloatVector.broadcast(S, 1f / 720),
          FloatVector.broadcast(S, 1f / 120));
      p = p.fma(r, FloatVector.broadcast(S, 1f / 24));
      p = p.fma(r, FloatVector.broadcast(S, 1f / 6));
      p = p.fma(r, FloatVector.broadcast(S, 0.5f));
      p = p.fma(r, FloatVector.broadcast(S, 1f));
      p = p.fma(r, FloatVector.broadcast(S, 1f));
      IntVector bits = shifted.reinterpretAsInts().sub(0x4B400000).add(127)
          .lanewise(VectorOperators.LSHL, 23);
      p.mul(bits.reinterpretAsFloats()).intoArray(a, d + j);
    }
  }

  /** Floats of work array {@link #forwardRow} needs for {@code h} units. */
  static int forwardWork(int h) {
    return 7 * h;
  }

  /*
   * Each kernel is a small method on purpose: one big kernel would exceed C2's inlining budget.
   * sigmoid(x) = 1 / (1 + e^{-x}) and tanh(x) = 1 - 2 / (1 + e^{2x}) are computed in two loops,
   * e^{-x} or e^{2x} first ({@link #exp}) and the rest where the result is used.
   *
   * The forward row works on a Java array, copied in and out in bulk: C2 compiled vector loads
   * and stores on the buffers into boxed vectors now and then (the Vector API's own fallback
   * code for reinterpreting lanes runs its buffer methods on heap buffers while the JIT warms
   * up, and C2 then sometimes could not keep those vectors in registers: 10-75 MB allocated a
   * CHARLM step, depending on compilation timing), where on arrays it never did.
   */

  /**
   * One row of the forward gate math for units {@code [0, bound(h))}: z (i, f, g, o blocks)
   * becomes activations, c_new = f c_prev + i g, tanhC = tanh(c_new), h_new = o tanhC.
   * {@code w} holds at least {@link #forwardWork} floats.
   */
  static void forwardRow(Vec z, int zr, int h, Vec c, int cPrev, int cNew, Vec tanhC, int tc,
      Vec hs, int hNew, float[] w) {
    int n = bound(h);
    int cAt = 4 * h; // c_prev, then c_new
    int tAt = 5 * h; // e^{2 c_new}, then tanh(c_new)
    int hAt = 6 * h;
    z.readInto(zr, w, 0, 4 * h);
    c.readInto(cPrev, w, cAt, n);
    for (int b = 0; b < 4; b++) { // e^{-z} for the sigmoid gates, e^{2z} for g
      exp(w, b * h, b * h, n, b == 2 ? 2f : -1f);
    }
    cellRow(w, h, n, cAt);
    exp(w, cAt, tAt, n, 2f);
    outputRow(w, 3 * h, n, tAt, hAt);
    z.writeFrom(w, 0, zr, 4 * h); // the elements past n unchanged, for the scalar tail
    c.writeFrom(w, cAt, cNew, n);
    tanhC.writeFrom(w, tAt, tc, n);
    hs.writeFrom(w, hAt, hNew, n);
  }

  /** The gates from their exponentials (kept for backward), and c = f c + i g at {@code cAt}. */
  private static void cellRow(float[] w, int h, int n, int cAt) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    FloatVector two = FloatVector.broadcast(S, 2f);
    for (int j = 0; j < n; j += S.length()) {
      FloatVector ig = one.div(FloatVector.fromArray(S, w, j).add(1f));
      FloatVector fg = one.div(FloatVector.fromArray(S, w, h + j).add(1f));
      FloatVector gg = one.sub(two.div(FloatVector.fromArray(S, w, 2 * h + j).add(1f)));
      FloatVector og = one.div(FloatVector.fromArray(S, w, 3 * h + j).add(1f));
      ig.intoArray(w, j);
      fg.intoArray(w, h + j);
      gg.intoArray(w, 2 * h + j);
      og.intoArray(w, 3 * h + j);
      fg.fma(FloatVector.fromArray(S, w, cAt + j), ig.mul(gg)).intoArray(w, cAt + j);
    }
  }

  /** tanh(c_new) from e^{2 c_new} in place at {@code tAt}; h_new = o tanh(c_new) at hAt. */
  private static void outputRow(float[] w, int o, int n, int tAt, int hAt) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    FloatVector two = FloatVector.broadcast(S, 2f);
    for (int j = 0; j < n; j += S.length()) {
      FloatVector t = one.sub(two.div(FloatVector.fromArray(S, w, tAt + j).add(1f)));
      t.intoArray(w, tAt + j);
      FloatVector.fromArray(S, w, o + j).mul(t).intoArray(w, hAt + j);
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
      int o = (zo + j) * 4;
      int at = (s + j) * 4;
      FloatVector og = FloatVector.fromByteBuffer(S, z, o, NATIVE);
      FloatVector t = FloatVector.fromByteBuffer(S, tanhC, (tc + j) * 4, NATIVE);
      FloatVector dhv = FloatVector.fromByteBuffer(S, dh, at, NATIVE);
      FloatVector.fromByteBuffer(S, dc, at, NATIVE).add(dhv.mul(og).mul(t.mul(t).neg().add(1f)))
          .intoByteBuffer(dc, at, NATIVE);
      dhv.mul(t).mul(og).mul(og.neg().add(1f)).intoByteBuffer(z, o, NATIVE);
      zero.intoByteBuffer(dhPrev, at, NATIVE);
    }
  }

  /** dz_i, dz_f, dz_g from dc; then dc = dc f (the gradient reaching c_{t-1}). */
  private static void cellGatesRow(ByteBuffer z, int zr, int h, int n, ByteBuffer dc, int s,
      ByteBuffer c, int cPrev) {
    for (int j = 0; j < n; j += S.length()) {
      int i = (zr + j) * 4;
      int f = (zr + h + j) * 4;
      int g = (zr + 2 * h + j) * 4;
      int at = (s + j) * 4;
      FloatVector ig = FloatVector.fromByteBuffer(S, z, i, NATIVE);
      FloatVector fg = FloatVector.fromByteBuffer(S, z, f, NATIVE);
      FloatVector gg = FloatVector.fromByteBuffer(S, z, g, NATIVE);
      FloatVector dcv = FloatVector.fromByteBuffer(S, dc, at, NATIVE);
      FloatVector cp = FloatVector.fromByteBuffer(S, c, (cPrev + j) * 4, NATIVE);
      dcv.mul(gg).mul(ig).mul(ig.neg().add(1f)).intoByteBuffer(z, i, NATIVE);
      dcv.mul(cp).mul(fg).mul(fg.neg().add(1f)).intoByteBuffer(z, f, NATIVE);
      dcv.mul(ig).mul(gg.mul(gg).neg().add(1f)).intoByteBuffer(z, g, NATIVE);
      dcv.mul(fg).intoByteBuffer(dc, at, NATIVE);
    }
  }

  /** {@code dst[d..d+n) += src[s..s+n)} for the vector-covered prefix; returns its length. */
  static int add(ByteBuffer dst, int d, ByteBuffer src, int s, int n) {
    int end = bound(n);
    for (int j = 0; j < end; j += S.length()) {
      int at = (d + j) * 4;
      FloatVector.fromByteBuffer(S, dst, at, NATIVE)
          .add(FloatVector.fromByteBuffer(S, src, (s + j) * 4, NATIVE))
          .intoByteBuffer(dst, at, NATIVE);
    }
    return end;
  }
}
