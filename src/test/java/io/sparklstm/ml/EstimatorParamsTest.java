package io.sparklstm.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.ml.param.AveragingParams;
import io.sparklstm.ml.param.BidirectionalParams;
import io.sparklstm.ml.param.BlockMomentumParam;
import io.sparklstm.ml.param.ClassificationParams;
import io.sparklstm.ml.param.JobParams;
import io.sparklstm.ml.param.LanguageModelParams;
import io.sparklstm.ml.param.ModelParams;
import io.sparklstm.ml.param.OptimizerParams;
import io.sparklstm.ml.param.Seq2SeqColumnParams;
import io.sparklstm.ml.param.Seq2SeqParams;
import io.sparklstm.ml.param.Setting;
import io.sparklstm.ml.param.Settings;
import io.sparklstm.ml.param.TextParams;
import io.sparklstm.ml.param.TrainingLoopParams;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.optim.BlockMomentum;
import io.sparklstm.optim.LearningRateSchedule;
import io.sparklstm.spark.SparkTrainingConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.junit.jupiter.api.Test;

/**
 * The settings as spark.ml Params of the estimators: found by Spark's reflection through the
 * shared interfaces' default methods, explained, copied, extracted and put in grids.
 */
class EstimatorParamsTest {
  static Set<String> names(org.apache.spark.ml.param.Params p) {
    return Arrays.stream(p.params()).map(Param::name).collect(Collectors.toSet());
  }

  @Test
  void sparkFindsEverySharedSettingAndOnlyTheTasksOwn() {
    Set<String> classifier = names(new LstmClassifier());
    Set<String> lm = names(new LstmLanguageModel());
    Set<String> tagger = names(new LstmTagger());
    Set<String> seq2seq = names(new LstmSeq2Seq());
    List<Set<String>> all = List.of(classifier, lm, tagger, seq2seq);
    // Each group of settings and the estimators (classifier, lm, tagger, seq2seq) that have it.
    Map<Class<?>, List<Boolean>> groups = Map.of(
        ModelParams.class, List.of(true, true, true, true),
        TextParams.class, List.of(true, true, true, true),
        OptimizerParams.class, List.of(true, true, true, true),
        TrainingLoopParams.class, List.of(true, true, true, true),
        AveragingParams.class, List.of(true, true, true, true),
        ClassificationParams.class, List.of(true, false, true, false),
        BidirectionalParams.class, List.of(true, false, true, true),
        LanguageModelParams.class, List.of(false, true, false, false),
        Seq2SeqParams.class, List.of(false, false, false, true),
        JobParams.class, List.of(false, false, false, false));
    groups.forEach((group, has) -> {
      for (Setting<?> s : Settings.declaredIn(group)) {
        for (int e = 0; e < all.size(); e++) {
          assertEquals(has.get(e), all.get(e).contains(s.name()), s.name() + " of estimator " + e);
        }
      }
    });
    for (Setting<?> s : Settings.declaredIn(Seq2SeqColumnParams.class)) {
      assertTrue(seq2seq.contains(s.name()), s.name());
    }
    assertTrue(classifier.containsAll(List.of("featuresCol", "labelCol", "probabilityCol",
        "rawPredictionCol", "predictionCol", "thresholds")));
    assertTrue(lm.containsAll(List.of("inputCol", "logLikelihoodCol")));
    assertFalse(classifier.contains("sourceCol") || tagger.contains("targetCol"));
  }

  @Test
  void paramsAreExplainedCopiedExtractedAndValidated() {
    LstmClassifier lstm = new LstmClassifier().setHiddenSize(12)
        .setBlockMomentum(BlockMomentum.of(0.25));
    String explained = lstm.explainParams();
    assertTrue(explained.contains("hiddenSize: units per LSTM layer (conf: model.hidden) "
        + "(default: 256, current: 12)"), explained);
    assertTrue(explained.contains("blockMomentum: momentum on averaged round updates; auto: "
        + "1 - 1/partitions; sqrt: 1 - 1/sqrt(partitions); 0: plain averaging (conf: "
        + "average.block.momentum) (default: auto, current: 0.25)"), explained);

    assertEquals(lstm.hiddenSize(), lstm.getParam("hiddenSize"), "one Param by owner and name");
    LstmClassifier copy = lstm.copy(ParamMap.empty().put(lstm.numLayers(), 3));
    assertNotSame(lstm, copy);
    assertEquals(lstm.uid(), copy.uid());
    assertEquals(3, copy.getNumLayers());
    assertEquals(12, copy.getHiddenSize());
    assertEquals(2, lstm.getNumLayers(), "the original keeps its value");
    assertEquals(copy.uid(), copy.hiddenSize().parent());

    ParamMap all = lstm.extractParamMap();
    assertEquals(12, all.apply(lstm.hiddenSize()));
    assertEquals(BlockMomentum.of(0.25), all.apply(lstm.blockMomentum()));
    assertEquals(0.002, all.apply(lstm.learningRate()));
    assertEquals("features", all.apply(lstm.featuresCol()));

    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> lstm.setHiddenSize(0));
    assertTrue(bad.getMessage().contains("hiddenSize given invalid value 0"), bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> lstm.setOptimizer("adagrad"));
    assertThrows(IllegalArgumentException.class,
        () -> lstm.setBlockMomentum(BlockMomentum.of(0.9995)));
  }

  @Test
  void gridsOverSettingsApplyToCopies() {
    LstmLanguageModel lm = new LstmLanguageModel();
    ParamMap[] grid = new ParamGridBuilder().addGrid(lm.hiddenSize(), new int[] {8, 16})
        .addGrid(lm.blockMomentum(), scala.jdk.javaapi.CollectionConverters.asScala(
            List.<BlockMomentum>of(BlockMomentum.auto(), BlockMomentum.of(0.5))))
        .build();
    assertEquals(4, grid.length);
    Set<String> seen = Arrays.stream(grid).map(lm::copy)
        .map(c -> c.getHiddenSize() + "/" + c.getBlockMomentum()).collect(Collectors.toSet());
    assertEquals(Set.of("8/auto", "16/auto", "8/0.5", "16/0.5"), seen);
    assertFalse(lm.isSet(lm.hiddenSize()), "the grid changes copies only");
  }

  @Test
  void blockMomentumIsJsonLikeTheConfFile() {
    BlockMomentumParam p = new LstmClassifier().blockMomentum();
    assertEquals("\"auto\"", p.jsonEncode(BlockMomentum.auto()));
    assertEquals("0.5", p.jsonEncode(BlockMomentum.of(0.5)));
    assertEquals(BlockMomentum.auto(), p.jsonDecode("\"auto\""));
    assertEquals(BlockMomentum.of(0.5), p.jsonDecode("0.5"));
    assertThrows(IllegalArgumentException.class, () -> p.jsonDecode("\"sometimes\""));
    assertEquals(0.75, BlockMomentum.auto().forPartitions(4));
    assertEquals("\"sqrt\"", p.jsonEncode(BlockMomentum.sqrt()));
    assertEquals(BlockMomentum.sqrt(), p.jsonDecode("\"sqrt\""));
    assertEquals(0.75, BlockMomentum.sqrt().forPartitions(16));
    assertEquals(0.875, BlockMomentum.sqrt().forPartitions(64));
    assertEquals(0.0, BlockMomentum.sqrt().forPartitions(1), "one partition averages nothing");
    for (String bad : new String[] {"auto", "sqrt", "\"0.5\"", "\"\"", "\""}) {
      assertThrows(IllegalArgumentException.class, () -> p.jsonDecode(bad), bad);
    }
  }

  @Test
  void aBatchSplitOverThePartitionsGivesEachTaskItsShareAndOtherwiseTheWholeBatch() {
    LstmClassifier perTask = new LstmClassifier().setBatchSize(32);
    LstmClassifier split = new LstmClassifier().setBatchSize(32).setBatchScope("all");
    int[] partitions = {1, 2, 3, 4, 16, 31, 32, 33, 64};
    int[] shares = {32, 16, 11, 8, 2, 2, 1, 1, 1}; // ceil(32 / N), at least one
    for (int i = 0; i < partitions.length; i++) {
      assertEquals(32, perTask.batchPerPartition(partitions[i]));
      assertEquals(shares[i], split.batchPerPartition(partitions[i]), "N = " + partitions[i]);
    }
    assertThrows(IllegalArgumentException.class, () -> split.batchPerPartition(0),
        "0 (Spark's default parallelism) must be resolved before the share is taken");
    assertThrows(IllegalArgumentException.class, () -> split.setBatchScope("global"));
  }

  private static final ModelSpec SPEC = new ModelSpec(ModelSpec.InputKind.EMBEDDING, 4, 3, 5, 1,
      ModelSpec.HeadKind.LAST_STEP, 2);

  @Test
  void sqrtScalingMultipliesTheLearningRateByTheRootOfHowManyTimesSmallerEachTasksBatchIs() {
    LstmClassifier split = new LstmClassifier().setBatchSize(32).setBatchScope("all")
        .setLearningRate(0.002).setLearningRateScaling("sqrt");
    int[] partitions = {1, 2, 3, 4, 16, 64};
    double[] factors = {1, Math.sqrt(2), Math.sqrt(32.0 / 11), 2, 4, Math.sqrt(32)};
    for (int i = 0; i < partitions.length; i++) {
      assertEquals(factors[i], split.learningRateFactor(partitions[i]), 1e-15,
          "N = " + partitions[i]);
      SparkTrainingConfig c = Trainers.config(split, SPEC, 10, partitions[i]);
      assertEquals(0.002 * factors[i], c.optimizer().learningRate(), 1e-15);
    }
    // one batch per task: no task's batch is smaller, so nothing to make up for
    assertEquals(1, split.copy(ParamMap.empty()).setBatchScope("partition")
        .learningRateFactor(16));
    // the default leaves the learning rate exactly as set, whatever the split
    LstmClassifier plain = new LstmClassifier().setBatchSize(32).setBatchScope("all")
        .setLearningRate(0.002);
    assertEquals(0.002, Trainers.config(plain, SPEC, 10, 16).optimizer().learningRate());
    assertThrows(IllegalArgumentException.class, () -> split.setLearningRateScaling("linear"));
  }

  @Test
  void theScaledRatesWarmupAppliesOnlyWhereTheRateIsRaisedAndTheLongerWarmupWins() {
    LstmClassifier split = new LstmClassifier().setBatchSize(32).setBatchScope("all")
        .setLearningRateScaling("sqrt").setLearningRateScalingWarmup(500);
    assertEquals(new LearningRateSchedule.Warmup(500, new LearningRateSchedule.Constant()),
        Trainers.config(split, SPEC, 10, 16).optimizer().schedule());
    assertEquals(new LearningRateSchedule.Constant(),
        Trainers.config(split, SPEC, 10, 1).optimizer().schedule(), "one partition: no raise");
    assertEquals(new LearningRateSchedule.Constant(), Trainers.config(split.copy(ParamMap.empty())
        .setBatchScope("partition"), SPEC, 10, 16).optimizer().schedule(), "no split");
    assertEquals(new LearningRateSchedule.Warmup(800, new LearningRateSchedule.Constant()),
        Trainers.config(split.copy(ParamMap.empty()).setWarmup(800), SPEC, 10, 16).optimizer()
            .schedule());
    assertEquals(new LearningRateSchedule.Warmup(800, new LearningRateSchedule.Constant()),
        Trainers.config(split.copy(ParamMap.empty()).setWarmup(800), SPEC, 10, 1).optimizer()
            .schedule(), "optim.warmup holds on one partition too");
  }
}
