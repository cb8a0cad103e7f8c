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
 */
public final class Blas {
  static {
    // ND4J's start-up sets OpenBLAS to one thread per core; let it run before anyone sets the
    // count, or the first network allocated after setThreads silently undoes it.
    Nd4j.getBackend();
    Loader.load(openblas_nolapack.class);
  }

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
    int ta = transA ? CblasTrans : CblasNoTrans;
    int tb = transB ? CblasTrans : CblasNoTrans;
    if (c.precision() == Precision.FLOAT) {
      openblas_nolapack.cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, (float) alpha,
          (FloatPointer) a.at(Vec.ROLE_A, aOffset), lda,
          (FloatPointer) b.at(Vec.ROLE_B, bOffset), ldb, (float) beta,
          (FloatPointer) c.at(Vec.ROLE_C, cOffset), ldc);
    } else {
      openblas_nolapack.cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha,
          (DoublePointer) a.at(Vec.ROLE_A, aOffset), lda,
          (DoublePointer) b.at(Vec.ROLE_B, bOffset), ldb, beta,
          (DoublePointer) c.at(Vec.ROLE_C, cOffset), ldc);
    }
  }

  /** Threads OpenBLAS may use for one GEMM; a Spark task sets its {@code spark.task.cpus}. */
  public static void setThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("BLAS threads must be at least 1: " + threads);
    }
    openblas_nolapack.blas_set_num_threads(threads);
  }

  public static int threads() {
    return openblas_nolapack.blas_get_num_threads();
  }
}
