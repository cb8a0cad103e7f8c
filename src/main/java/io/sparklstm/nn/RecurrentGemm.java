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
 * <p>A block is a number of rows by a panel of two vectors: 8 x 32 with AVX-512's 16 float
 * lanes (16 accumulators of its 32 vector registers), 6 x 16 with AVX2's 8 (12 of its 16, with
 * the two panel vectors and a broadcast). Each element's chain is the same either way, so this
 * product has the same bits on both (a model's do not: the other products go through OpenBLAS,
 * whose kernels differ by CPU, and H = 48 or 80 fits AVX2's panel and not AVX-512's). With
 * neither ({@link #USABLE}) the layer multiplies through OpenBLAS; on AVX2 it did until this
 * kernel had a narrow block (AMD EPYC, cpu family 25 model 1: OpenBLAS packed W_h at every
 * step, and the recurrence, whose rows only this kernel lets two threads share, ran on one). Offsets are in floats. The loops call
 * the Vector API directly, with no helper of ours taking or returning a vector (why: see
 * {@link SimdKernels}).
 */
final class RecurrentGemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
  private static final int LANES = S.length();
  /** Whether a block is 8 x 32 (AVX-512) rather than 6 x 16 (AVX2). */
  private static final boolean WIDE = LANES == 16;
  /** Columns of B a block computes: two vectors. */
  static final int PANEL = 2 * LANES;
  /** Rows of C a block computes at once. */
  private static final int ROWS = WIDE ? 8 : 6;
  static final boolean USABLE = LANES == 16 || LANES == 8;

  private RecurrentGemm() {}

  /**
   * Packs B ({@code k x n}, n a multiple of {@link #PANEL}) into {@code out}: panel p holds rows
   * 0..k-1 of its {@link #PANEL} columns, each row's values together. B is row-major at
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
   * {@code scratch} holds at least {@code m x (2k + n)} floats: the kernel works on Java arrays,
   * where C2 keeps every vector operation in registers (on buffers it boxed them).
   */
  static void multiplyAdd(int m, int n, int k, Vec a, int aOffset, float[] packed, Vec c,
      int cOffset, float[] scratch) {
    int product = m * k;
    int big = m / ROWS;
    int rest = m % ROWS;
    if (!WIDE && big > 0 && (rest == 2 || rest == 3)) {
      big--; // 8 or 9 rows left: two blocks of 4 instead of a block of 6 and 2 or 3 single rows
      rest += ROWS;
    }
    int fours = rest / 4;
    int blocked = big * ROWS;
    int quads = blocked + 4 * fours;
    int rowMajor = product + m * n; // A as it is, read in one bulk copy
    a.readInto(aOffset, scratch, rowMajor, product);
    interleave(scratch, rowMajor, 0, blocked, ROWS, k, scratch);
    interleave(scratch, rowMajor, blocked, quads, 4, k, scratch);
    System.arraycopy(scratch, rowMajor + quads * k, scratch, quads * k, (m - quads) * k);
    for (int p = 0; p * PANEL < n; p++) {
      int w = p * k * PANEL;
      int cp = product + p * PANEL;
      int r = 0;
      for (; r < blocked; r += ROWS) {
        if (WIDE) {
          block8(k, scratch, r * k, packed, w, scratch, cp + r * n, n);
        } else {
          block6(k, scratch, r * k, packed, w, scratch, cp + r * n, n);
        }
      }
      for (; r < quads; r += 4) {
        block4(k, scratch, r * k, packed, w, scratch, cp + r * n, n);
      }
      for (; r < m; r++) {
        row(k, scratch, r * k, packed, w, scratch, cp + r * n);
      }
    }
    addInto(c.bytes(), cOffset, scratch, product, m * n);
  }

  /**
   * Copies rows [from, to) of A, in blocks of {@code rows}, each block's column kk as
   * {@code rows} consecutive floats (at {@code out[from * k]}): a block then reads its
   * broadcasts at fixed distances from one index (row by row they cost an address computation
   * each).
   */
  private static void interleave(float[] a, int aOffset, int from, int to, int rows, int k,
      float[] out) {
    int o = from * k;
    for (int r = from; r < to; r += rows) {
      for (int kk = 0; kk < k; kk++) {
        for (int j = 0, at = aOffset + r * k + kk; j < rows; j++, at += k) {
          out[o++] = a[at];
        }
      }
    }
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
      FloatVector w1 = FloatVector.fromArray(S, b, wi + LANES);
      int ai = a0 + kk * ROWS;
      FloatVector s = FloatVector.broadcast(S, a[ai]);
      x00 = w0.fma(s, x00);
      x01 = w1.fma(s, x01);
      s = FloatVector.broadcast(S, a[ai + 1]);
      x10 = w0.fma(s, x10);
      x11 = w1.fma(s, x11);
      s = FloatVector.broadcast(S, a[ai + 2]);
      x20 = w0.fma(s, x20);
      x21 = w1.fma(s, x21);
      s = FloatVector.broadcast(S, a[ai + 3]);
      x30 = w0.fma(s, x30);
      x31 = w1.fma(s, x31);
      s = FloatVector.broadcast(S, a[ai + 4]);
      x40 = w0.fma(s, x40);
      x41 = w1.fma(s, x41);
      s = FloatVector.broadcast(S, a[ai + 5]);
      x50 = w0.fma(s, x50);
      x51 = w1.fma(s, x51);
      s = FloatVector.broadcast(S, a[ai + 6]);
      x60 = w0.fma(s, x60);
      x61 = w1.fma(s, x61);
      s = FloatVector.broadcast(S, a[ai + 7]);
      x70 = w0.fma(s, x70);
      x71 = w1.fma(s, x71);
    }
    x00.intoArray(c, c0);
    x01.intoArray(c, c0 + LANES);
    x10.intoArray(c, c0 + ldc);
    x11.intoArray(c, c0 + ldc + LANES);
    x20.intoArray(c, c0 + 2 * ldc);
    x21.intoArray(c, c0 + 2 * ldc + LANES);
    x30.intoArray(c, c0 + 3 * ldc);
    x31.intoArray(c, c0 + 3 * ldc + LANES);
    x40.intoArray(c, c0 + 4 * ldc);
    x41.intoArray(c, c0 + 4 * ldc + LANES);
    x50.intoArray(c, c0 + 5 * ldc);
    x51.intoArray(c, c0 + 5 * ldc + LANES);
    x60.intoArray(c, c0 + 6 * ldc);
    x61.intoArray(c, c0 + 6 * ldc + LANES);
    x70.intoArray(c, c0 + 7 * ldc);
    x71.intoArray(c, c0 + 7 * ldc + LANES);
  }

  /** Six rows by one panel of sums (AVX2): 12 accumulators stay in registers. */
  private static void block6(int k, float[] a, int a0, float[] b, int w, float[] c, int c0,
      int ldc) {
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
    for (int kk = 0; kk < k; kk++) {
      int wi = w + kk * PANEL;
      FloatVector w0 = FloatVector.fromArray(S, b, wi);
      FloatVector w1 = FloatVector.fromArray(S, b, wi + LANES);
      int ai = a0 + kk * ROWS;
      FloatVector s = FloatVector.broadcast(S, a[ai]);
      x00 = w0.fma(s, x00);
      x01 = w1.fma(s, x01);
      s = FloatVector.broadcast(S, a[ai + 1]);
      x10 = w0.fma(s, x10);
      x11 = w1.fma(s, x11);
      s = FloatVector.broadcast(S, a[ai + 2]);
      x20 = w0.fma(s, x20);
      x21 = w1.fma(s, x21);
      s = FloatVector.broadcast(S, a[ai + 3]);
      x30 = w0.fma(s, x30);
      x31 = w1.fma(s, x31);
      s = FloatVector.broadcast(S, a[ai + 4]);
      x40 = w0.fma(s, x40);
      x41 = w1.fma(s, x41);
      s = FloatVector.broadcast(S, a[ai + 5]);
      x50 = w0.fma(s, x50);
      x51 = w1.fma(s, x51);
    }
    x00.intoArray(c, c0);
    x01.intoArray(c, c0 + LANES);
    x10.intoArray(c, c0 + ldc);
    x11.intoArray(c, c0 + ldc + LANES);
    x20.intoArray(c, c0 + 2 * ldc);
    x21.intoArray(c, c0 + 2 * ldc + LANES);
    x30.intoArray(c, c0 + 3 * ldc);
    x31.intoArray(c, c0 + 3 * ldc + LANES);
    x40.intoArray(c, c0 + 4 * ldc);
    x41.intoArray(c, c0 + 4 * ldc + LANES);
    x50.intoArray(c, c0 + 5 * ldc);
    x51.intoArray(c, c0 + 5 * ldc + LANES);
  }

  /** Four rows by one panel: the rows a batch leaves after blocks of 6 or 8. */
  private static void block4(int k, float[] a, int a0, float[] b, int w, float[] c, int c0,
      int ldc) {
    FloatVector x00 = FloatVector.zero(S);
    FloatVector x01 = FloatVector.zero(S);
    FloatVector x10 = FloatVector.zero(S);
    FloatVector x11 = FloatVector.zero(S);
    FloatVector x20 = FloatVector.zero(S);
    FloatVector x21 = FloatVector.zero(S);
    FloatVector x30 = FloatVector.zero(S);
    FloatVector x31 = FloatVector.zero(S);
    for (int kk = 0; kk < k; kk++) {
      int wi = w + kk * PANEL;
      FloatVector w0 = FloatVector.fromArray(S, b, wi);
      FloatVector w1 = FloatVector.fromArray(S, b, wi + LANES);
      int ai = a0 + kk * 4;
      FloatVector s = FloatVector.broadcast(S, a[ai]);
      x00 = w0.fma(s, x00);
      x01 = w1.fma(s, x01);
      s = FloatVector.broadcast(S, a[ai + 1]);
      x10 = w0.fma(s, x10);
      x11 = w1.fma(s, x11);
      s = FloatVector.broadcast(S, a[ai + 2]);
      x20 = w0.fma(s, x20);
      x21 = w1.fma(s, x21);
      s = FloatVector.broadcast(S, a[ai + 3]);
      x30 = w0.fma(s, x30);
      x31 = w1.fma(s, x31);
    }
    x00.intoArray(c, c0);
    x01.intoArray(c, c0 + LANES);
    x10.intoArray(c, c0 + ldc);
    x11.intoArray(c, c0 + ldc + LANES);
    x20.intoArray(c, c0 + 2 * ldc);
    x21.intoArray(c, c0 + 2 * ldc + LANES);
    x30.intoArray(c, c0 + 3 * ldc);
    x31.intoArray(c, c0 + 3 * ldc + LANES);
  }

  /** One row by one panel: the same chain per element as {@link #block8}. */
  private static void row(int k, float[] a, int a0, float[] b, int w, float[] c, int c0) {
    FloatVector x0 = FloatVector.zero(S);
    FloatVector x1 = FloatVector.zero(S);
    for (int kk = 0; kk < k; kk++) {
      int wi = w + kk * PANEL;
      FloatVector s = FloatVector.broadcast(S, a[a0 + kk]);
      x0 = FloatVector.fromArray(S, b, wi).fma(s, x0);
      x1 = FloatVector.fromArray(S, b, wi + LANES).fma(s, x1);
    }
    x0.intoArray(c, c0);
    x1.intoArray(c, c0 + LANES);
  }
}
