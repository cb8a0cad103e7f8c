package io.sparklstm.nn;

/**
 * Whether the vector kernels can run: the {@code jdk.incubator.vector} module must be in the
 * boot layer ({@code --add-modules jdk.incubator.vector}, which spark-submit and Spark's
 * executors add on Java 17, and the jobs, tests and benchmarks pass). Without it, or with
 * {@code -Dsparklstm.simd=false}, or on a CPU without FMA, the scalar code runs; both give the
 * same math.
 */
final class Simd {
  static final boolean ENABLED = !"false".equals(System.getProperty("sparklstm.simd"))
      && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && hasFma();

  private Simd() {}

  /**
   * Whether the JIT emits fused multiply-adds. The kernels are chains of them; on a CPU without
   * (AVX without FMA3: Sandy and Ivy Bridge) each lane's FMA would run in software, far slower
   * than the scalar code. A JVM that does not say is taken to have them.
   */
  private static boolean hasFma() {
    try {
      return !"false".equals(java.lang.management.ManagementFactory
          .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .getVMOption("UseFMA").getValue());
    } catch (RuntimeException e) {
      return true;
    }
  }
}
