package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.data.Vocabulary;
import io.sparklstm.io.SavedModel;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.Precision;
import io.sparklstm.train.ModelSnapshot;
import io.sparklstm.train.TrainingState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jobs/generate's options at their limits, in process, on an untrained character model. */
class SamplingOptionsTest {
  @TempDir
  static Path dir;
  static String model;

  @BeforeAll
  static void model() throws Exception {
    model = writeModel(dir).toString();
  }

  /** An initialised (untrained) character model over "abc .\n", written as jobs/train would. */
  static Path writeModel(Path dir) throws Exception {
    Vocabulary vocab = new Vocabulary(false, List.of(" ", ".", "\n", "a", "b", "c"));
    ModelSpec spec = ModelSpec.languageModel(vocab.size(), 8, 1);
    LstmNetwork net = new LstmNetwork(spec, Precision.FLOAT, 1, 1);
    net.initialize(1);
    int n = net.params().size();
    TrainingState state = new TrainingState(1, 0, new ModelSnapshot(net.params().toFloatArray(),
        new float[2 * n], 0, Map.of()), new double[n]);
    Map<String, String> config = JobConfig.load(null, List.of("data.train=text.txt")).asMap();
    Path file = dir.resolve("model.bin");
    new SavedModel(config, spec, vocab, null, state, Map.of(), null).write(file.toString(),
        new Configuration());
    return file;
  }

  private static String[] generate(String... options) {
    String[] base = {"generate", "--model", model, "--prime", "abc", "--length", "20"};
    String[] args = java.util.Arrays.copyOf(base, base.length + options.length);
    System.arraycopy(options, 0, args, base.length, options.length);
    return JobsTest.run(args);
  }

  private static void assertError(String[] r, String message) {
    assertEquals("2", r[0], r[2]);
    assertEquals("error: " + message, JobsTest.errorLine(r));
    assertEquals("", r[1], "no output before the error");
  }

  /** The sample in what jobs/generate prints, without the lines around it. */
  private static String sample(String out) {
    return out.substring(out.indexOf('\n') + 1, out.lastIndexOf("\n----"));
  }

  @Test
  void aNegativeTopKIsRefused() {
    assertError(generate("--top-k", "-2"),
        "top-k must be 0 (every token) or a positive count, got -2");
  }

  @Test
  void aPrimeOfUnknownCharactersIsRefusedByName() {
    assertError(generate("--prime", "xyz!"), "--prime 'xyz!' holds no token the model knows: "
        + "every character of it is outside its vocabulary (6 tokens of the training text)");
    String[] some = generate("--prime", "xa");
    assertEquals("0", some[0], some[2]);
    assertTrue(some[1].contains("\nxa"), some[1]);
  }

  @Test
  void temperaturesAreCheckedAndTheLowestIsStillText() {
    assertError(generate("--temperature", "0"), "the temperature must be a positive number, "
        + "got 0.0");
    String[] cold = generate("--temperature", "0.001", "--seed", "1");
    assertEquals("0", cold[0], cold[2]);
    assertEquals(sample(cold[1]), sample(generate("--temperature", "0.001", "--seed", "2")[1]),
        "near 0 the seed no longer matters: greedy decoding");
  }

  @Test
  void aLengthBeyondMemoryIsRefusedBeforeAllocating() {
    String[] r = generate("--length", "10000000000");
    assertEquals("2", r[0], r[2]);
    assertTrue(JobsTest.errorLine(r).startsWith("error: --length 10000000000 is too long: the "
        + "sample needs at least 55.9 GiB of heap"), r[2]);
    assertTrue(JobsTest.errorLine(r).contains("--driver-memory"), r[2]);
  }
}
