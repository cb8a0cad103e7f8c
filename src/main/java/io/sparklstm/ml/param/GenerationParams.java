package io.sparklstm.ml.param;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Sampling a continuation of every row's prompt (the options of {@code jobs/generate}, with its
 * defaults): the same prompt and seed give the same text.
 */
public interface GenerationParams extends Params {
  Setting.Texts PROMPT_COL = Setting.text("promptCol", null, "prompt", false,
      "text each continuation follows (an empty prompt starts a new line)");
  Setting.Texts GENERATED_COL = Setting.text("generatedCol", null, "generated", false,
      "output: the sampled continuation (without the prompt)");
  Setting.Ints GENERATE_LENGTH = Setting.integer("generateLength", null, 200, 1, 1_000_000,
      "tokens to generate per row");
  Setting.Numbers TEMPERATURE = Setting.number("temperature", null, 1.0, Double.MIN_VALUE, 1e6,
      "softmax temperature (lower is more conservative)");
  Setting.Ints TOP_K = Setting.integer("topK", null, 0, 0, Integer.MAX_VALUE,
      "draw only among the k most likely tokens (0: all)");
  Setting.Longs SAMPLE_SEED = Setting.longInteger("sampleSeed", null, 1, Long.MIN_VALUE,
      Long.MAX_VALUE, "sampling seed: the same seed and prompt give the same text");

  default Param<String> promptCol() {
    return PROMPT_COL.param(this);
  }

  default Param<String> generatedCol() {
    return GENERATED_COL.param(this);
  }

  default IntParam generateLength() {
    return GENERATE_LENGTH.param(this);
  }

  default DoubleParam temperature() {
    return TEMPERATURE.param(this);
  }

  default IntParam topK() {
    return TOP_K.param(this);
  }

  default LongParam sampleSeed() {
    return SAMPLE_SEED.param(this);
  }

  default String getPromptCol() {
    return PROMPT_COL.get(this);
  }

  default String getGeneratedCol() {
    return GENERATED_COL.get(this);
  }

  default int getGenerateLength() {
    return GENERATE_LENGTH.get(this);
  }

  default double getTemperature() {
    return TEMPERATURE.get(this);
  }

  default int getTopK() {
    return TOP_K.get(this);
  }

  default long getSampleSeed() {
    return SAMPLE_SEED.get(this);
  }
}
