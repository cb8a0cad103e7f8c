package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * OpenBLAS must stay at one thread of its own (products are split in Java, see {@link Blas})
 * through ND4J's start-up, which sets one per core. Runs in a fresh JVM: in the test JVM ND4J
 * has long started.
 */
class BlasThreadsTest {
  /** Sets two threads, then allocates (starting ND4J) and prints OpenBLAS's own count. */
  public static void main(String[] args) {
    Blas.setThreads(2);
    Vec.allocate(Precision.FLOAT, 16);
    System.out.println("threads=" + Blas.openblasThreads());
  }

  @Test
  void openBlasKeepsOneThreadThroughNd4jStartUp() throws IOException, InterruptedException {
    assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "needs 2 cores to tell 1 from n");
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    ProcessBuilder probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
        "java").toString(), "-cp", classpath, BlasThreadsTest.class.getName())
        .redirectErrorStream(true);
    probe.environment().remove("OMP_NUM_THREADS"); // the tests' setting would hide ND4J's reset
    Process p = probe.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertEquals("threads=1", out.lines().filter(l -> l.startsWith("threads=")).findFirst()
        .orElse(out));
  }
}
