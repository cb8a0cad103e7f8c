package io.sparklstm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sparklstm.data.Example;
import io.sparklstm.data.SyntheticTasks;
import io.sparklstm.data.TokenStreams;
import io.sparklstm.nn.Dropout;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.ModelSpec.Pooling;
import io.sparklstm.nn.Precision;
import io.sparklstm.optim.LearningRateSchedule;
import io.sparklstm.optim.Optimizer;
import io.sparklstm.optim.OptimizerSpec;
import io.sparklstm.optim.UpdateRule;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The same seed and data give the same parameters, bit for bit. */
class DeterminismTest {

  private static final ModelSpec CLASSIFIER =
      new ModelSpec(InputKind.TOKENS, 7, 0, 16, 2, HeadKind.LAST_STEP, 3);
  private static final Dropout DROPOUT = new Dropout(0.2, 0.3, 0.25);

  /** Plain; and with dropout, both directions and max pooling, where masks come from seeds. */
  static Stream<ModelSpec> classifiers() {
    return Stream.of(CLASSIFIER, CLASSIFIER.with(true, Pooling.MAX, DROPOUT));
  }

  @ParameterizedTest
  @MethodSource("classifiers")
  void twoClassifierRunsWithOneSeedAreBitIdentical(ModelSpec spec) {
    float[] a = trainClassifier(17, spec);
    float[] b = trainClassifier(17, spec);
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, trainClassifier(18, spec)), "another seed gives another model");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void twoLanguageModelRunsWithOneSeedAreBitIdentical(boolean dropout) {
    assertArrayEquals(trainLanguageModel(5, dropout), trainLanguageModel(5, dropout));
    if (dropout) {
      assertFalse(Arrays.equals(trainLanguageModel(5, true), trainLanguageModel(5, false)));
    }
  }

  private static float[] trainClassifier(long seed, ModelSpec spec) {
    List<Example> data = SyntheticTasks.recallFirstSymbol(300, 3, 4, 5, 20, 9);
    LstmNetwork net = new LstmNetwork(spec, Precision.FLOAT, 16, 20);
    net.initialize(seed);
    Optimizer opt = new Optimizer(new UpdateRule.Sgd(0.9, true), 0.05,
        new LearningRateSchedule.Cosine(100, 0.001), 1e-4, 1.0, net.layout(), Precision.FLOAT);
    ClassifierTrainer trainer = new ClassifierTrainer(net, opt, 16, seed);
    for (int e = 0; e < 2; e++) {
      trainer.epoch(data, null, e);
    }
    return net.params().toFloatArray();
  }

  private static float[] trainLanguageModel(long seed, boolean dropout) {
    int[] text = SyntheticTasks.bracketLanguage(5000, 3, 3, 2, 6, 1);
    ModelSpec spec = ModelSpec.languageModel(SyntheticTasks.bracketVocabulary(3, 3), 24, 2);
    LstmNetwork net = new LstmNetwork(
        dropout ? spec.with(false, Pooling.LAST, DROPOUT) : spec, Precision.FLOAT, 8, 10);
    net.initialize(seed);
    Optimizer opt = OptimizerSpec.adam(2e-3, 5.0).build(net.layout(), Precision.FLOAT);
    LanguageModelTrainer trainer = new LanguageModelTrainer(net, opt, 8, seed);
    trainer.epoch(new TokenStreams(text, 0, text.length, 8, 10), null, 0);
    return net.params().toFloatArray();
  }
}
