package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.io.ModelFile;
import io.sparklstm.io.Safetensors;
import io.sparklstm.io.SavedModel;
import io.sparklstm.nn.ParamLayout;
import io.sparklstm.nn.Rng;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jobs end to end, in process, on small generated data: what a user runs, checked. */
class JobsTest {
  @TempDir
  static Path dir;
  static Path text;
  static Path conf;

  @BeforeAll
  static void data() throws Exception {
    text = Files.writeString(dir.resolve("corpus.txt"), corpus(600));
    conf = tinyConf(dir, text);
  }

  /** {@code lines} lines of six random words: a small text with a small vocabulary. */
  static String corpus(int lines) {
    Rng rng = new Rng(3);
    String[] words = {"whale", "sea", "ship", "captain", "the", "a", "white", "harpoon", "deck"};
    StringBuilder s = new StringBuilder();
    for (int line = 0; line < lines; line++) {
      for (int w = 0; w < 6; w++) {
        s.append(w == 0 ? "" : " ").append(words[rng.nextInt(words.length)]);
      }
      s.append(".\n");
    }
    return s.toString();
  }

  /** A tiny character model's configuration over {@code text}, 3 epochs of 2 partitions. */
  static Path tinyConf(Path dir, Path text) throws Exception {
    return Files.writeString(dir.resolve("tiny-lm.conf"), String.join("\n",
        "# a tiny character model",
        "task = language-model",
        "data.format = text",
        "data.train = " + text,
        "model.hidden = 16",
        "model.layers = 1",
        "train.epochs = 3",
        "train.batch = 4",
        "train.window = 20",
        "spark.partitions = 2",
        "average.every = 20",
        "optim.lr = 0.01", ""));
  }

  /** Runs a job and returns its exit code, standard output and standard error. */
  static String[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.run(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String so = o.toString(StandardCharsets.UTF_8);
    String se = e.toString(StandardCharsets.UTF_8);
    out.print(so);
    return new String[] {String.valueOf(code), so, se};
  }

  /** The one error line of a run (in process, Hadoop's and Spark's warnings may be there too). */
  static String errorLine(String[] run) {
    List<String> lines = run[2].lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(1, lines.size(), run[2]);
    return lines.get(0);
  }

  static float[] params(Path model) throws Exception {
    return SavedModel.read(model.toString(), new Configuration()).state().model().params();
  }

  @Test
  void everyJobRunsEndToEnd() throws Exception {
    Path out = dir.resolve("run");
    String[] train = run("train", "--conf", conf.toString(), "--out", out.toString());
    assertEquals("0", train[0], train[2]);
    assertTrue(train[1].contains("[epoch 3/3"), "progress lines");
    List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
    assertEquals(3, metrics.stream().filter(l -> l.contains("\"type\":\"epoch\"")).count());
    assertTrue(Files.readString(out.resolve("report.html")).contains("<svg"));
    assertTrue(Files.exists(out.resolve("model/model.bin")));
    try (Stream<Path> ck = Files.list(out.resolve("checkpoints"))) {
      assertEquals(3, ck.filter(p -> p.getFileName().toString().startsWith("ckpt-")).count());
    }
    String[] help = run("train", "--help");
    assertTrue(help[1].contains("average.block.momentum"), "--help lists the keys");

    String model = out.resolve("model").toString();
    String[] g1 = run("generate", "--model", model, "--prime", "the white ", "--length", "80",
        "--temperature", "0.7", "--top-k", "5", "--seed", "4");
    String[] g2 = run("generate", "--model", model, "--prime", "the white ", "--length", "80",
        "--temperature", "0.7", "--top-k", "5", "--seed", "4");
    assertEquals("0", g1[0], g1[2]);
    assertEquals(g1[1], g2[1], "the same seed gives the same text");
    assertTrue(g1[1].contains("the white "));

    Path json = dir.resolve("eval.json");
    String[] ev = run("evaluate", "--model", model, "--data", text.toString(), "--out",
        json.toString());
    assertEquals("0", ev[0], ev[2]);
    String metricsJson = Files.readString(json);
    assertTrue(metricsJson.contains("\"bitsPerToken\""), metricsJson);

    Path st = dir.resolve("model.safetensors");
    String[] ex = run("export", "--model", model, "--out", st.toString());
    assertEquals("0", ex[0], ex[2]);
    SavedModel saved = SavedModel.read(model + "/model.bin", new Configuration());
    Map<String, Safetensors.Tensor> back = Safetensors.read(Files.readAllBytes(st), st.toString());
    float[] p = saved.state().model().params();
    ParamLayout layout = new ParamLayout(saved.spec());
    ParamLayout.Tensor wx = layout.get("lstm0.wx");
    Safetensors.Tensor ih = back.get("lstm.weight_ih_l0");
    assertEquals(List.of(wx.cols(), wx.rows()), ih.shape(), "PyTorch layout [4H x I]");
    for (int r = 0; r < wx.rows(); r++) {
      for (int c = 0; c < wx.cols(); c++) {
        assertEquals(p[wx.offset() + r * wx.cols() + c], ih.values()[c * wx.rows() + r]);
      }
    }
    assertEquals(Safetensors.stateDict(saved.spec(), p).keySet(), back.keySet());
    Safetensors.stateDict(saved.spec(), p).forEach((name, t) -> {
      assertEquals(t.shape(), back.get(name).shape(), name);
      assertArrayEquals(t.values(), back.get(name).values(), name);
    });
  }

  @Test
  void stoppedAfterTwoEpochsAndResumedEqualsThreeEpochsByteForByte() throws Exception {
    Path full = dir.resolve("full");
    Path parts = dir.resolve("parts");
    assertEquals("0", run("train", "--conf", conf.toString(), "--out", full.toString())[0]);
    assertEquals("0", run("train", "--conf", conf.toString(), "--out", parts.toString(),
        "--set", "train.epochs=2")[0]);
    // Checkpoints written before the model's dropout, pooling and direction keys existed.
    try (var files = Files.list(parts.resolve("checkpoints"))) {
      for (Path f : files.toList()) {
        ModelFile m = ModelFile.fromBytes(Files.readAllBytes(f),
            f.toString());
        ((Map<?, ?>) m.header().get("config")).keySet().removeIf(k -> List.of(
            "model.bidirectional", "model.pooling", "model.dropout.input",
            "model.dropout.recurrent", "model.dropout.output").contains(k));
        Files.write(f, m.toBytes());
      }
    }
    String[] again = run("train", "--conf", conf.toString(), "--out", parts.toString());
    assertEquals("2", again[0], "a second run into the same directory needs --resume");
    assertTrue(again[2].contains("--resume"), again[2]);
    String[] resumed = run("train", "--conf", conf.toString(), "--out", parts.toString(),
        "--resume");
    assertEquals("0", resumed[0], resumed[2]);
    assertTrue(resumed[1].contains("Resuming from"));
    assertArrayEquals(params(full.resolve("model/model.bin")),
        params(parts.resolve("model/model.bin")));
    String[] shape = run("train", "--conf", conf.toString(), "--out", parts.toString(),
        "--resume", "--set", "model.hidden=24");
    assertEquals("2", shape[0]);
    assertTrue(shape[2].contains("model.hidden"), shape[2]);
  }

  @Test
  void aTimeBudgetStopsAtARoundBoundaryAndEvaluatesTheModel() throws Exception {
    Path out = dir.resolve("budget");
    // Any round outlasts a microsecond: the first round runs, the prediction stops the second.
    String[] r = run("train", "--conf", conf.toString(), "--out", out.toString(),
        "--set", "train.max.seconds=0.000001");
    assertEquals("0", r[0], r[2]);
    List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
    assertEquals(2, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).contains("\"type\":\"round\",\"epoch\":1,\"round\":1,"),
        lines.get(0));
    assertTrue(lines.get(0).matches(".*\"executorRssMiB\":[1-9][0-9]*}"), lines.get(0));
    assertTrue(lines.get(1).contains("\"type\":\"epoch\"") && lines.get(1).contains(
        "\"metric\":\"bits per token\""), lines.get(1));
    assertTrue(Files.exists(out.resolve("model/model.bin")));
  }

  @Test
  void badInputsFailClearlyAndLeaveNothingHalfWritten() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.txt"), "");
    Path shortText = Files.writeString(dir.resolve("short.txt"), "call me ishmael.\n");
    Path badUtf8 = Files.write(dir.resolve("bad.txt"), new byte[] {'o', 'k', '\n', 'a',
        (byte) 0xC3, (byte) 0x28, '\n'});
    expectError("holds no text", "--set", "data.train=" + empty);
    expectError("shorter than one window", "--set", "data.train=" + shortText);
    expectError("invalid UTF-8 in", "--set", "data.train=" + badUtf8);
    expectError("no file or directory matches", "--set", "data.train=" + dir.resolve("nope"));
    expectError("unknown key 'model.hiden'", "--set", "model.hiden=3");
    expectError("train.epochs = 'two' is invalid", "--set", "train.epochs=two");

    Path images = dir.resolve("imgs.idx");
    Path labels = dir.resolve("labels.idx");
    writeIdx(images, new int[] {3, 2, 2}, new byte[12]);
    writeIdx(labels, new int[] {3}, new byte[] {1, 12, 0});
    expectError("label 12 at index 1", "--set", "task=classification", "--set",
        "data.format=idx", "--set", "model.input=dense", "--set", "data.train=" + images,
        "--set", "data.train.labels=" + labels, "--set", "spark.partitions=1");

    Path out = dir.resolve("ok");
    assertEquals("0", run("train", "--conf", conf.toString(), "--out", out.toString(), "--set",
        "train.epochs=1")[0]);
    Path model = out.resolve("model/model.bin");
    byte[] bytes = Files.readAllBytes(model);
    Path truncated = Files.write(dir.resolve("truncated.bin"),
        Arrays.copyOf(bytes, bytes.length / 2));
    String[] g = run("generate", "--model", truncated.toString(), "--prime", "a", "--length",
        "5");
    assertEquals("2", g[0]);
    assertTrue(g[2].contains("corrupt or truncated"), g[2]);
  }

  private static void expectError(String message, String... sets) throws Exception {
    Path out = dir.resolve("failed-" + Math.abs(message.hashCode()));
    List<String> args = new ArrayList<>(List.of("train", "--conf", conf.toString(), "--out",
        out.toString()));
    args.addAll(List.of(sets));
    String[] r = run(args.toArray(new String[0]));
    assertEquals("2", r[0], "exit code for: " + message + "\n" + r[2]);
    assertTrue(r[2].contains(message), "expected '" + message + "' in: " + r[2]);
    assertFalse(Files.exists(out.resolve("model/model.bin")), "no model after a failure");
    if (Files.exists(out)) {
      try (Stream<Path> all = Files.walk(out)) {
        assertTrue(all.noneMatch(p -> p.getFileName().toString().contains(".tmp-")),
            "no temporary files left");
      }
    }
  }

  private static void writeIdx(Path file, int[] dims, byte[] data) throws Exception {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream d = new java.io.DataOutputStream(b);
    d.writeInt(0x800 | dims.length);
    for (int x : dims) {
      d.writeInt(x);
    }
    d.write(data);
    Files.write(file, b.toByteArray());
  }
}
