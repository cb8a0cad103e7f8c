package io.sparklstm.ml.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.cli.JobConfig;
import io.sparklstm.cli.ConfErrorsGoldenTest;
import io.sparklstm.optim.BlockMomentum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;

/**
 * The typed settings, declared once: every conf key is one Param with its default, Spark's
 * validator refuses exactly what the conf check refuses, and conf texts bind and render back.
 * (What each key accepts and its messages are held to the jobs' golden data by
 * {@code ConfErrorsGoldenTest}.)
 */
class SettingsTest {
  static final List<String> SAMPLES = ConfErrorsGoldenTest.SAMPLES;

  @Test
  void everyConfKeyIsExactlyOneSettingWithItsDefault() {
    JobSettings params = new JobSettings();
    assertEquals(Settings.confKeys().size(), Set.copyOf(Settings.confKeys()).size());
    for (String key : Settings.confKeys()) {
      Setting<?> s = Settings.byConfKey(key);
      assertEquals(1, Settings.ALL.stream().filter(x -> key.equals(x.confKey())).count());
      assertTrue(params.hasParam(s.name()), key);
      if (s.defaultValue() == null) {
        assertTrue(params.getDefault(s.param(params)).isEmpty(), key);
        assertEquals("a non-empty value", s.problem(""), key + " is required");
      } else {
        assertEquals(s.defaultValue(), params.getDefault(s.param(params)).get(), key);
        assertNull(s.problem(s.defaultText()), key + "'s default text is valid");
        assertEquals(s.defaultValue(), s.parseOrNull(s.defaultText()), key);
      }
    }
  }

  @Test
  void sparksValidatorRefusesWhatTheConfCheckRefuses() {
    int accepted = 0;
    int refused = 0;
    for (String key : Settings.confKeys()) {
      @SuppressWarnings("unchecked")
      Setting<Object> s = (Setting<Object>) Settings.byConfKey(key);
      JobSettings params = new JobSettings();
      @SuppressWarnings("unchecked")
      Param<Object> param = (Param<Object>) s.param(params);
      for (String v : SAMPLES) {
        Object value = s.parseOrNull(v);
        if (s.problem(v) == null) {
          accepted++;
          params.set(param, value); // Spark's validator agrees
          assertEquals(value, s.get(params));
          assertEquals(value, s.parse(s.format(s.get(params))), "format round trip " + v);
        } else {
          refused++;
          if (value != null) {
            assertThrows(IllegalArgumentException.class, () -> params.set(param, value),
                key + " = " + v);
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
    assertEquals(Set.copyOf(Settings.confKeys()), back.keySet());
    JobConfig job = JobConfig.load(null, back.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).toList());
    assertEquals(24, job.settings().getHiddenSize());
    assertEquals(1e-7, job.settings().getEpsilon());
    assertEquals(back, job.asMap());
    assertEquals("auto", Settings.toConf(new JobSettings()).get("average.block.momentum"));
    List<String> unset = new ArrayList<>(Settings.confKeys());
    unset.removeAll(Settings.toConf(new JobSettings()).keySet());
    assertEquals(List.of("data.train"), unset, "only the required key has no default");
    assertNotNull(Settings.byConfKey("task"));
  }
}
