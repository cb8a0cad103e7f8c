package io.sparklstm.nn;

/**
 * Whether the vector kernels can run: the {@code jdk.incubator.vector} module must be in the
 * boot layer ({@code --add-modules jdk.incubator.vector}, which spark-submit and Spark's
 * executors add on Java 17, and the jobs, tests and benchmarks pass). Without it, or with
 * {@code -Dsparklstm.simd=false}, the scalar code runs; both give the same math.
 */
final class Simd {
  static final boolean ENABLED = !"false".equals(System.getProperty("sparklstm.simd"))
      && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private Simd() {}
}
