package io.sparklstm.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The per-step products of the float LSTM, {@code C[m x n] += A[m x k] B}, with the Vector API.
 * At these shapes (m = a batch of 8-64 rows, B a 256 x 1024 weight) OpenBLAS spends a third of
 * its time packing B again at every one of a window's steps and reaches 90-105 GFLOP/s on one
 * core; this kernel reads B from panels packed once per window and reaches 170 (both measured
 * on an Intel Xeon, cpu family 6 model 167; {@code jobs/bench-step} shows the step).
 *
 * <p>B is read from panels of {@link #PANEL} columns ({@link #pack}), packed once a window (the
 * layer leaves windows of a few steps, where packing would not pay, to OpenBLAS).
 * Every element of C becomes {@code C + (a_0 b_0 + a_1 b_1 + ...)}, the sum a chain of fused
 * multiply-adds in k order from zero, added to C once, whatever m or the rows a thread takes: so
 * the results are the same bits for one row or a batch, on one thread or two. (Chaining the
 * products onto C itself, which holds the bias and input projection, rounds each small product
 * against a large sum: Seq2SeqSparkTest's one-partition model, seeds 4 to 7, fell from
 * 0.987-1.000 held-out sequence accuracy to 0.973, 0.910, 0.840 and 1.000.)
 *
 * <p>Only for AVX-512 ({@link #USABLE}: 16 float lanes, 32 vector registers for the 8 x 32
 * block); elsewhere the layer multiplies through OpenBLAS. Offsets are in floats. The loops
 * call the Vector API directly, with no helper of ours taking or returning a vector (why: see
 * {@link SimdKernels}).
 */
final class RecurrentGemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
  /** Columns of B a block computes: two vectors. */
  static final int PANEL = 32;
  /** Rows of C a block computes at once. */
  private static final int ROWS = 8;
  static final boolean USABLE = S.length() == 16;

  private RecurrentGemm() {}

  /**
   * Packs B ({@code k x n}, n a multiple of {@link #PANEL}) into {@code out}: panel p holds rows
   * 0..k-1 of columns [32p, 32p + 32), each row's 32 values together. B is row-major at
   * {@code offset} of {@code src} with row length {@code ld}, or, {@code transposed}, B = M^T for
   * a row-major M ({@code n x k}, row length {@code ld}).
   */
  static void pack(Vec src, int offset, int ld, int k, int n, boolean transposed, float[] out) {
    ByteBuffer b = src.bytes();
    int o = 0;
    for (int col = 0; col < n; col += PANEL) {
      for (int kk = 0; kk < k; kk++, o += PANEL) {
        if (!transposed) { // the panel's row is contiguous in B
          src.readInto(offset + kk * ld + col, out, o, PANEL);
          continue;
        }
        for (int j = 0; j < PANEL; j++) {
          out[o + j] = b.getFloat((offset + (col + j) * ld + kk) * 4);
        }
      }
    }
  }

  /**
   * {@code C[m x n] += A[m x k] B} for B {@link #pack}ed in {@code packed}; A ({@code m x k})
   * and C ({@code m x n}) are contiguous row-major blocks at {@code aOffset} and {@code cOffset}.
   * {@code scratch} holds at least {@code m x (k + n)} floats: the kernel works on Java arrays,
   * where C2 keeps every vector operation in registers (on buffers it boxed them).
   */
  static void multiplyAdd(int m, int n, int k, Vec a, int aOffset, float[] packed, Vec c,
      int cOffset, float[] scratch) {
    int product = m * k;
    a.readInto(aOffset, scratch, 0, m * k);
    for (int p = 0; p * PANEL < n; p++) {
      int w = p * k * PANEL;
      int r = 0;
      for (; r + ROWS <= m; r += ROWS) {
        block8(k, scratch, r * k, packed, w, scratch, product + r * n + p * PANEL, n);
      }
      for (; r < m; r++) {
        row(k, scratch, r * k, packed, w, scratch, product + r * n + p * PANEL);
      }
    }
    addInto(c.bytes(), cOffset, scratch, product, m * n);
  }

  /** {@code c[cOffset..] += sums[from..]} over {@code n} floats. */
  private static void addInto(ByteBuffer c, int cOffset, float[] sums, int from, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += S.length()) {
      int at = (cOffset + i) * 4;
      FloatVector.fromByteBuffer(S, c, at, NATIVE)
          .add(FloatVector.fromArray(S, sums, from + i)).intoByteBuffer(c, at, NATIVE);
    }
    for (; i < n; i++) {
      int at = (cOffset + i) * 4;
      c.putFloat(at, c.getFloat(at) + sums[from + i]);
    }
  }

  /** Eight rows by one panel of sums; 16 accumulators stay in registers through the k loop. */
  private static void block8(int k, float[] a, int a0, float[] b, int w, float[] c, int c0,
      int ldc) {
    int lda = k;
    FloatVector x00 = FloatVector.zero(S);
    FloatVector x01 = FloatVector.zero(S);
    FloatVector x10 = FloatVector.zero(S);
    FloatVector x11 = FloatVector.zero(S);
    FloatVector x20 = FloatVector.zero(S);
    FloatVector x21 = FloatVector.zero(S);
    FloatVector x30 = FloatVector.zero(S);
    FloatVector x31 = FloatVector.zero(S);
    FloatVector x40 = FloatVector.zero(S);
    FloatVector x41 = FloatVector.zero(S);
    FloatVector x50 = FloatVector.zero(S);
    FloatVector x51 = FloatVector.zero(S);
    FloatVector x60 = FloatVector.zero(S);
    FloatVector x61 = FloatVector.zero(S);
    FloatVector x70 = FloatVector.zero(S);
    FloatVector x71 = FloatVector.zero(S);
    for (int kk = 0; kk < k; kk++) {
      int wi = w + kk * PANEL;
      FloatVector w0 = FloatVector.fromArray(S, b, wi);
      FloatVector w1 = FloatVector.fromArray(S, b, wi + 16);
      int ai = a0 + kk;
      FloatVector s = FloatVector.broadcast(S, a[ai]);
      x00 = w0.fma(s, x00);
      x01 = w1.fma(s, x01);
      s = FloatVector.broadcast(S, a[ai + lda]);
      x10 = w0.fma(s, x10);
      x11 = w1.fma(s, x11);
      s = FloatVector.broadcast(S, a[ai + 2 * lda]);
      x20 = w0.fma(s, x20);
      x21 = w1.fma(s, x21);
      s = FloatVector.broadcast(S, a[ai + 3 * lda]);
      x30 = w0.fma(s, x30);
      x31 = w1.fma(s, x31);
      s = FloatVector.broadcast(S, a[ai + 4 * lda]);
      x40 = w0.fma(s, x40);
      x41 = w1.fma(s, x41);
      s = FloatVector.broadcast(S, a[ai + 5 * lda]);
      x50 = w0.fma(s, x50);
      x51 = w1.fma(s, x51);
      s = FloatVector.broadcast(S, a[ai + 6 * lda]);
      x60 = w0.fma(s, x60);
      x61 = w1.fma(s, x61);
      s = FloatVector.broadcast(S, a[ai + 7 * lda]);
      x70 = w0.fma(s, x70);
      x71 = w1.fma(s, x71);
    }
    x00.intoArray(c, c0);
    x01.intoArray(c, c0 + 16);
    x10.intoArray(c, c0 + ldc);
    x11.intoArray(c, c0 + ldc + 16);
    x20.intoArray(c, c0 + 2 * ldc);
    x21.intoArray(c, c0 + 2 * ldc + 16);
    x30.intoArray(c, c0 + 3 * ldc);
    x31.intoArray(c, c0 + 3 * ldc + 16);
    x40.intoArray(c, c0 + 4 * ldc);
    x41.intoArray(c, c0 + 4 * ldc + 16);
    x50.intoArray(c, c0 + 5 * ldc);
    x51.intoArray(c, c0 + 5 * ldc + 16);
    x60.intoArray(c, c0 + 6 * ldc);
    x61.intoArray(c, c0 + 6 * ldc + 16);
    x70.intoArray(c, c0 + 7 * ldc);
    x71.intoArray(c, c0 + 7 * ldc + 16);
  }

  /** One row by one panel: the same chain per element as {@link #block8}. */
  private static void row(int k, float[] a, int a0, float[] b, int w, float[] c, int c0) {
    FloatVector x0 = FloatVector.zero(S);
    FloatVector x1 = FloatVector.zero(S);
    for (int kk = 0; kk < k; kk++) {
      int wi = w + kk * PANEL;
      FloatVector s = FloatVector.broadcast(S, a[a0 + kk]);
      x0 = FloatVector.fromArray(S, b, wi).fma(s, x0);
      x1 = FloatVector.fromArray(S, b, wi + 16).fma(s, x1);
    }
    x0.intoArray(c, c0);
    x1.intoArray(c, c0 + 16);
  }
}
