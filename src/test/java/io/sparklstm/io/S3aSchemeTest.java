package io.sparklstm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.VersionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * s3a:// paths, which the jobs take wherever they read or write a Hadoop path. The app jar does
 * not carry the S3A connector: README's spark-submit line adds hadoop-aws of Spark's Hadoop
 * version, as the pom does here in test scope. No network: the endpoint is a closed port on
 * 127.0.0.1, and credentials and region are given, so the AWS SDK has nothing to look up.
 */
class S3aSchemeTest {
  @Test
  void readmeAddsTheConnectorOfSparksHadoop() throws IOException {
    String hadoop = VersionInfo.getVersion();
    String line = "--packages org.apache.hadoop:hadoop-aws:" + hadoop;
    assertTrue(Files.readString(Path.of("README.md")).contains(line),
        "README should tell users to add '" + line + "' (Spark's Hadoop is " + hadoop + ")");
    Properties aws = new Properties();
    try (InputStream in = getClass().getResourceAsStream(
        "/META-INF/maven/org.apache.hadoop/hadoop-aws/pom.properties")) {
      assertNotNull(in, "hadoop-aws is not on the test classpath");
      aws.load(in);
    }
    assertEquals(hadoop, aws.getProperty("version"), "hadoop-aws in the pom");
  }

  @Test
  @Timeout(60)
  void anS3aPathIsReadFromItsEndpoint() throws IOException {
    Configuration conf = new Configuration();
    assertEquals("org.apache.hadoop.fs.s3a.S3AFileSystem",
        FileSystem.getFileSystemClass("s3a", conf).getName());

    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    conf.set("fs.s3a.endpoint", "http://127.0.0.1:" + port);
    conf.set("fs.s3a.endpoint.region", "us-east-1");
    conf.set("fs.s3a.path.style.access", "true");
    conf.set("fs.s3a.aws.credentials.provider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.set("fs.s3a.access.key", "test");
    conf.set("fs.s3a.secret.key", "test");
    conf.set("fs.s3a.attempts.maximum", "0");
    conf.set("fs.s3a.retry.limit", "0");
    // Never ask the EC2 instance metadata service, whatever the SDK version defaults to.
    System.setProperty("aws.disableEc2Metadata", "true");
    String file = "s3a://spark-lstm-test/corpus.txt";
    try {
      IOException e = assertThrows(IOException.class, () -> HadoopFiles.read(file, conf));
      assertTrue(causedBy(e, ConnectException.class) && e.getMessage().contains("127.0.0.1"),
          () -> "expected a refused connection to 127.0.0.1, got " + e);
    } finally {
      FileSystem.get(URI.create(file), conf).close();
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
