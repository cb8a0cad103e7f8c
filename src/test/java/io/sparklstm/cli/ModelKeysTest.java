package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparklstm.data.Vocabulary;
import io.sparklstm.nn.Dropout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model keys of a language model: dropout applies, both directions and pooling cannot. */
class ModelKeysTest {
  private static final Vocabulary VOCAB = new Vocabulary(false, List.of("a", "b"));

  private static JobConfig conf(String... keys) throws Exception {
    List<String> all = new java.util.ArrayList<>(List.of("data.train=x"));
    all.addAll(List.of(keys));
    return JobConfig.load(null, all);
  }

  @Test
  void aLanguageModelTakesDropoutAndRefusesBidirectionalLayersAndPooling() throws Exception {
    assertEquals(new Dropout(0.1, 0.2, 0.3), JobData.languageModelSpec(conf(
        "model.dropout.input=0.1", "model.dropout.recurrent=0.2", "model.dropout.output=0.3"),
        VOCAB).dropout());
    String bi = assertThrows(JobConfig.ConfigException.class, () -> JobData.languageModelSpec(
        conf("model.bidirectional=true"), VOCAB)).getMessage();
    assertEquals("model.bidirectional = true does not fit task = language-model: a language "
        + "model predicts each token from the ones before it; bidirectional layers are for "
        + "task = classification", bi);
    String pooling = assertThrows(JobConfig.ConfigException.class,
        () -> JobData.languageModelSpec(conf("model.pooling=mean"), VOCAB)).getMessage();
    assertEquals("model.pooling = mean does not fit task = language-model, whose head reads "
        + "every step; pooling is for task = classification", pooling);
    String one = assertThrows(JobConfig.ConfigException.class,
        () -> conf("model.dropout.recurrent=1")).getMessage();
    assertEquals("--set model.dropout.recurrent=1: model.dropout.recurrent = '1' is invalid: "
        + "expected a number in [0, 1)", one);
  }
}
