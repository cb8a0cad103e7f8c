package io.sparklstm.cli;

import static io.sparklstm.cli.JobsTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.io.HadoopFiles;
import io.sparklstm.io.RunLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory and output files on a real HDFS (a NameNode and a DataNode in this JVM, on
 * 127.0.0.1): the lock (create without overwrite), the atomic replacement (rename with
 * OVERWRITE) and the refusals work there as on a local disk, and a resumed run on HDFS ends
 * with the model of an undisturbed local one.
 */
class HdfsRunTest {
  @TempDir
  static Path dir;
  static MiniDFSCluster hdfs;
  static String root;
  static Path conf;

  @BeforeAll
  static void start() throws Exception {
    Configuration c = new Configuration();
    c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
    for (String key : new String[] {"dfs.namenode.http-address", "dfs.namenode.https-address",
        "dfs.datanode.address", "dfs.datanode.http.address", "dfs.datanode.ipc.address"}) {
      c.set(key, "127.0.0.1:0"); // loopback only
    }
    hdfs = new MiniDFSCluster.Builder(c).numDataNodes(1).checkDataNodeAddrConfig(true).build();
    hdfs.waitActive();
    root = hdfs.getURI().toString();
    conf = JobsTest.tinyConf(dir, Files.writeString(dir.resolve("corpus.txt"),
        JobsTest.corpus(600)));
  }

  @AfterAll
  static void stop() {
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  static String[] train(String out, String... more) {
    String[] args = {"train", "--conf", conf.toString(), "--out", out, "--set",
        "train.epochs=1"};
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return run(all);
  }

  @Test
  void aRunOnHdfsIsLockedProtectedAndResumedToTheUndisturbedModel() throws Exception {
    Configuration hconf = hdfs.getConfiguration(0);
    String out = root + "/runs/lm";
    String[] first = train(out);
    assertEquals("0", first[0], first[2]);
    String[] again = train(out);
    assertEquals("2", again[0], again[2]);
    assertTrue(again[2].contains("already holds a run"), again[2]);
    try (RunLock other = RunLock.acquire(out, hconf)) {
      String[] busy = train(out, "--set", "train.epochs=2", "--resume");
      assertEquals("2", busy[0], busy[2]);
      assertTrue(busy[2].contains(" is in use by another training job: pid "), busy[2]);
    }
    String[] resumed = train(out, "--set", "train.epochs=2", "--resume");
    assertEquals("0", resumed[0], resumed[2]);
    Path local = dir.resolve("local");
    assertEquals("0", train(local.toString(), "--set", "train.epochs=2")[0]);
    assertArrayEquals(Files.readAllBytes(local.resolve("model/model.bin")),
        HadoopFiles.read(out + "/model/model.bin", hconf), "the model, byte for byte");
  }

  @Test
  void anOutputFileOnHdfsIsReplacedOnlyWhenAskedAndInOneStep() throws Exception {
    Configuration hconf = hdfs.getConfiguration(0);
    String file = root + "/out/eval.json";
    HadoopFiles.writeAtomically(file, "old".getBytes(StandardCharsets.UTF_8), hconf);
    String message = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> HadoopFiles.checkOutputFile("--out", file, false, hconf)).getMessage();
    assertTrue(message.endsWith("already exists; pass --overwrite to replace it"), message);
    HadoopFiles.checkOutputFile("--out", file, true, hconf);
    HadoopFiles.writeAtomically(file, "new".getBytes(StandardCharsets.UTF_8), hconf);
    assertEquals("new", new String(HadoopFiles.read(file, hconf), StandardCharsets.UTF_8));
    assertFalse(HadoopFiles.createNew(file, new byte[0], hconf), "create-new finds it there");
    assertEquals(1, org.apache.hadoop.fs.FileSystem.get(hdfs.getURI(), hconf)
        .listStatus(new org.apache.hadoop.fs.Path(root + "/out")).length, "no temporaries");
  }
}
