package io.sparklstm.ml.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.cli.JobConfig;
import io.sparklstm.cli.JobKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;

/**
 * The typed settings against the jobs' conf keys ({@link JobKeys}): every key is one Param with
 * the same default, and every value is accepted or refused alike, with the same message. This is
 * what lets the jobs swap JobKeys for the Params.
 */
class SettingsTest {
  /** Values of every form the keys take, valid and not, at and beyond their bounds. */
  static final List<String> SAMPLES = List.of("", "abc", "0", "1", "-1", "2", "0.5", "0.999",
      "0.9995", "0.999999", "0.9999999", "0.999999999", "1e-8", "1e-12", "1e-13", "1e-30",
      "1e-31", "1e3", "1000.5", "1001", "64", "65", "100000", "100001", "1000000", "1000001",
      "2147483647", "2147483648", "-9223372036854775808", "9223372036854775807",
      "9223372036854775808", "1e9", "1.1e9", "3.4028234663852886E38", "1e39", "NaN", "Infinity",
      "-0.0", "+5", "0x10", "1.0", "5d", "auto", "Auto", "true", "false", "TRUE", "tokens",
      "embedding", "dense", "char", "word", "adam", "sgd", "rmsprop", "constant", "step",
      "exponential", "cosine", "language-model", "classification", "text", "idx",
      "labelled-dirs", "csv", "parquet", "data/x.txt", "hdfs:///a b");

  @Test
  void everyConfKeyIsExactlyOneSettingWithTheSameDefault() {
    assertEquals(JobKeys.ALL.keySet(), Set.copyOf(Settings.confKeys()),
        "conf keys without a Param, or Params without a conf key");
    JobSettings params = new JobSettings();
    for (JobKeys.Key k : JobKeys.ALL.values()) {
      Setting<?> s = Settings.byConfKey(k.name());
      assertEquals(1, Settings.ALL.stream().filter(x -> k.name().equals(x.confKey())).count());
      assertTrue(params.hasParam(s.name()), k.name());
      if (k.type().problem(k.defaultValue()) != null) {
        assertNull(s.defaultValue(), k.name() + " is required, so its Param has no default");
        assertTrue(params.getDefault(s.param(params)).isEmpty(), k.name());
      } else {
        assertEquals(s.parseOrNull(k.defaultValue()), s.defaultValue(), k.name());
        assertEquals(s.defaultValue(), params.getDefault(s.param(params)).get(), k.name());
      }
    }
  }

  @Test
  void settingsAcceptAndRefuseWhatTheConfKeysDoWithTheSameMessage() {
    int accepted = 0;
    int refused = 0;
    for (JobKeys.Key k : JobKeys.ALL.values()) {
      @SuppressWarnings("unchecked")
      Setting<Object> s = (Setting<Object>) Settings.byConfKey(k.name());
      JobSettings params = new JobSettings();
      @SuppressWarnings("unchecked")
      Param<Object> param = (Param<Object>) s.param(params);
      for (String v : SAMPLES) {
        String expected = k.type().problem(v);
        assertEquals(expected, s.problem(v), k.name() + " = '" + v + "'");
        Object value = s.parseOrNull(v);
        if (expected == null) {
          accepted++;
          params.set(param, value); // Spark's validator agrees
          assertEquals(value, s.get(params));
          assertEquals(value, s.parse(s.format(s.get(params))), "format round trip " + v);
        } else {
          refused++;
          if (value != null) {
            assertThrows(IllegalArgumentException.class, () -> params.set(param, value),
                k.name() + " = " + v);
          }
        }
      }
    }
    assertTrue(accepted > 200 && refused > 1000, accepted + " accepted, " + refused + " refused");
  }

  @Test
  void theBinderFailsLikeTheJobConfiguration() {
    for (String[] kv : new String[][] {{"model.hidden", "0"}, {"train.epochs", "two"},
        {"average.block.momentum", "1"}, {"optim.name", "adagrad"}, {"optim.nesterov", "yes"},
        {"data.validation.fraction", "0.6"}, {"train.seed", "1.5"}}) {
      String origin = "--set " + kv[0] + "=" + kv[1];
      String job = assertThrows(JobConfig.ConfigException.class, () -> JobConfig.load(null,
          List.of("data.train=x", kv[0] + "=" + kv[1]))).getMessage();
      String ours = assertThrows(IllegalArgumentException.class,
          () -> Settings.bind(new JobSettings(), kv[0], kv[1], origin)).getMessage();
      assertEquals(job, ours);
    }
    String job = assertThrows(JobConfig.ConfigException.class,
        () -> JobConfig.load(null, List.of("model.hiden=3"))).getMessage();
    String ours = assertThrows(IllegalArgumentException.class,
        () -> Settings.bind(new JobSettings(), "model.hiden", "3", "--set model.hiden=3"))
        .getMessage();
    String head = "--set model.hiden=3: unknown key 'model.hiden'; known keys: ";
    assertTrue(job.startsWith(head) && ours.startsWith(head), ours);
    assertEquals(Set.of(job.substring(head.length()).split(", ")),
        Set.of(ours.substring(head.length()).split(", ")));
  }

  @Test
  void confTextsBindAndRenderBack() throws Exception {
    Map<String, String> conf = Map.of("data.train", "data/x.txt", "model.hidden", "24",
        "average.block.momentum", "0.5", "optim.epsilon", "1e-7", "train.seed", "-3");
    JobSettings s = JobSettings.fromConf(conf, "test.conf");
    assertEquals(24, s.getHiddenSize());
    assertEquals(BlockMomentum.of(0.5), s.getBlockMomentum());
    assertEquals(-3L, s.getSeed());
    Map<String, String> back = Settings.toConf(s);
    assertEquals(JobKeys.ALL.keySet(), back.keySet());
    JobConfig job = JobConfig.load(null, back.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).toList());
    assertEquals("24", job.string("model.hidden"));
    assertEquals(1e-7, job.number("optim.epsilon"));
    assertEquals("auto", Settings.toConf(new JobSettings()).get("average.block.momentum"));
    List<String> unset = new ArrayList<>(JobKeys.ALL.keySet());
    unset.removeAll(Settings.toConf(new JobSettings()).keySet());
    assertEquals(List.of("data.train"), unset, "only the required key has no default");
    assertNotNull(Settings.byConfKey("task"));
  }
}
