package io.sparklstm.nn;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Row-major GEMM straight into preallocated buffers through the OpenBLAS that ND4J ships
 * ({@code cblas_sgemm}/{@code cblas_dgemm} via JavaCPP). This path is several times faster than
 * {@code INDArray.mmul} at LSTM sizes (../shared/notes/nd4j-on-this-machine.md) and allocates
 * nothing.
 *
 * <p>OpenBLAS itself always runs on one thread. With {@link #setThreads} 2 or more, a large
 * product is cut in two halves of its rows (or columns) computed at once, one on a helper
 * ({@link TwoThreads}): OpenBLAS's own threads spin for about 0.1 s after each product before they
 * sleep, so between products they took a core from the gate math and the recurrence's second
 * thread ({@link RowSplit}); a two-thread CHARLM step's median was 1.25x its fastest with them,
 * 1.04x with spinning cut short (Intel Xeon, cpu family 6 model 167). A product cut in halves
 * is not always the same bits as the whole (nor were OpenBLAS's threaded products): a model is
 * bit-reproducible for a given thread count, the Spark task's {@code spark.task.cpus}.
 */
public final class Blas {
  static {
    // ND4J's start-up sets OpenBLAS to one thread per core; let it run before anyone sets the
    // count, or the first network allocated after setThreads silently undoes it.
    Nd4j.getBackend();
    Loader.load(openblas_nolapack.class);
  }

  /** Threads a product may use: set per Spark task, read by every call. */
  private static volatile int threads = 1;
  /**
   * Products smaller than this many multiply-adds (m x n x k) run on one thread: handing half
   * to a helper costs tens of microseconds.
   */
  private static final long SPLIT_MIN = 1L << 22;

  private Blas() {}

  /**
   * {@code C = alpha * op(A) * op(B) + beta * C} with {@code op(A)} of shape m x k and
   * {@code op(B)} of shape k x n, every matrix row-major at an element offset of its vector.
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      Vec a, int aOffset, int lda, Vec b, int bOffset, int ldb,
      double beta, Vec c, int cOffset, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (threads >= 2 && (long) m * n * k >= SPLIT_MIN) {
      if (m >= n) { // rows of C, with the rows of op(A)
        int h = m / 2;
        int aStep = transA ? 1 : lda;
        TwoThreads.run(
            () -> call(transA, transB, h, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c,
                cOffset, ldc, 0),
            () -> call(transA, transB, m - h, n, k, alpha, a, aOffset + h * aStep, lda, b,
                bOffset, ldb, beta, c, cOffset + h * ldc, ldc, 1));
      } else { // columns of C, with the columns of op(B)
        int h = n / 2;
        int bStep = transB ? ldb : 1;
        TwoThreads.run(
            () -> call(transA, transB, m, h, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c,
                cOffset, ldc, 0),
            () -> call(transA, transB, m, n - h, k, alpha, a, aOffset, lda, b, bOffset + h * bStep,
                ldb, beta, c, cOffset + h, ldc, 1));
      }
      return;
    }
    call(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc,
        0);
  }

  /**
   * One OpenBLAS call on the calling thread (OpenBLAS is kept at one thread), through the
   * operands' pointer set {@code half} (0, or 1 for the half a helper computes).
   */
  private static void call(boolean transA, boolean transB, int m, int n, int k, double alpha,
      Vec a, int aOffset, int lda, Vec b, int bOffset, int ldb,
      double beta, Vec c, int cOffset, int ldc, int half) {
    int set = half * Vec.ROLES;
    int ta = transA ? CblasTrans : CblasNoTrans;
    int tb = transB ? CblasTrans : CblasNoTrans;
    if (c.precision() == Precision.FLOAT) {
      openblas_nolapack.cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, (float) alpha,
          (FloatPointer) a.at(set + Vec.ROLE_A, aOffset), lda,
          (FloatPointer) b.at(set + Vec.ROLE_B, bOffset), ldb, (float) beta,
          (FloatPointer) c.at(set + Vec.ROLE_C, cOffset), ldc);
    } else {
      openblas_nolapack.cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha,
          (DoublePointer) a.at(set + Vec.ROLE_A, aOffset), lda,
          (DoublePointer) b.at(set + Vec.ROLE_B, bOffset), ldb, beta,
          (DoublePointer) c.at(set + Vec.ROLE_C, cOffset), ldc);
    }
  }

  /**
   * Threads one training step may use (products and the recurrence); a Spark task sets its
   * {@code spark.task.cpus}. OpenBLAS is set to one thread here, every time, so that ND4J's
   * start-up (which sets one per core) cannot leave it spinning threads of its own.
   */
  public static void setThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("BLAS threads must be at least 1: " + threads);
    }
    openblas_nolapack.blas_set_num_threads(1);
    Blas.threads = threads;
  }

  public static int threads() {
    return threads;
  }

  /** The threads OpenBLAS itself runs a product on (kept at 1). */
  static int openblasThreads() {
    return openblas_nolapack.blas_get_num_threads();
  }
}
