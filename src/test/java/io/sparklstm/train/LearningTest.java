package io.sparklstm.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.data.Example;
import io.sparklstm.data.SyntheticTasks;
import io.sparklstm.data.TokenStreams;
import io.sparklstm.nn.Batch;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.Precision;
import io.sparklstm.nn.RecurrentState;
import io.sparklstm.optim.Optimizer;
import io.sparklstm.optim.OptimizerSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** End-to-end runs that must learn what only memory can learn. */
public class LearningTest {

  /**
   * The label is the first symbol, 54 to 64 steps before the end of a noisy test sequence.
   * Training sequences have every length from 2 to 65 in one padded, masked mix: the short ones
   * teach what to store, the long ones how to keep it.
   */
  @Test
  void classifiesBySymbolFiftyStepsBeforeTheEnd() {
    int classes = 4;
    int noise = 6;
    List<Example> train = SyntheticTasks.recallFirstSymbol(10_000, classes, noise, 2, 65, 1);
    List<Example> test = SyntheticTasks.recallFirstSymbol(500, classes, noise, 55, 65, 2);
    ModelSpec spec = new ModelSpec(InputKind.EMBEDDING, classes + noise, 8, 32, 1,
        HeadKind.LAST_STEP, classes);
    double accuracy = heldOutAccuracy(spec, 65, train, test, 10, "recall-first-symbol");
    assertTrue(accuracy >= 0.99, "held-out accuracy " + accuracy);
  }

  /** Trains with Adam until the held-out accuracy passes 0.995 or the epochs run out. */
  private static double heldOutAccuracy(ModelSpec spec, int maxLength, List<Example> train,
      List<Example> test, int epochs, String name) {
    LstmNetwork net = new LstmNetwork(spec, Precision.FLOAT, 32, maxLength);
    net.initialize(3);
    Optimizer adam = OptimizerSpec.adam(1e-2, 5.0).build(net.layout(), Precision.FLOAT);
    ClassifierTrainer trainer = new ClassifierTrainer(net, adam, 32, 4);
    double accuracy = 0;
    for (int epoch = 0; epoch < epochs && accuracy < 0.995; epoch++) {
      EpochReport r = trainer.epoch(train, test, epoch);
      System.out.println(name + " " + r.summary("examples"));
      accuracy = r.validation().accuracy();
    }
    return accuracy;
  }

  /**
   * Tagging: the tag of each token is the sum of its neighbours' symbols mod 3, so it depends on
   * context on both sides. A bidirectional tagger learns it (token accuracy >= 98%); a
   * left-to-right one, which has not seen the next token when it tags, stays near a third. Two
   * layers: the softmax adds a score from each direction's state, and a sum mod 3 of what each
   * direction knows is no such sum; the second layer combines them.
   */
  @Test
  void onlyABidirectionalTaggerLearnsTagsThatDependOnBothSides() {
    List<Example> train = SyntheticTasks.contextTags(3000, 6, 3, 5, 20, 7);
    List<Example> test = SyntheticTasks.contextTags(300, 6, 3, 5, 20, 8);
    double[] accuracy = new double[2];
    for (int bi = 0; bi < 2; bi++) {
      ModelSpec spec = new ModelSpec(InputKind.EMBEDDING, 6, 8, 32, 2, HeadKind.EVERY_STEP, 3)
          .with(bi == 1, ModelSpec.Pooling.LAST, io.sparklstm.nn.Dropout.NONE);
      accuracy[bi] = heldOutAccuracy(spec, 20, train, test, 10,
          "context-tags bidirectional=" + (bi == 1));
    }
    assertTrue(accuracy[1] >= 0.98, "bidirectional held-out token accuracy " + accuracy[1]);
    assertTrue(accuracy[0] <= 0.5, "left-to-right held-out token accuracy " + accuracy[0]
        + ": the task no longer needs the right-hand context");
  }

  /**
   * The label is the first symbol of sequences of 150 to 200 steps, read by the last-state head.
   * Without short sequences to learn from, one direction would have to carry the symbol over
   * the whole sequence before it knows it matters; the backward direction reads it last. Three
   * epochs at most: only the bidirectional model learns the task.
   */
  @Test
  void aBidirectionalLayerReadsWhatIsFarFromTheEnd() {
    // 4 classes (the first symbol), 6 noise symbols
    List<Example> train = SyntheticTasks.recallFirstSymbol(2000, 4, 6, 150, 200, 5);
    List<Example> test = SyntheticTasks.recallFirstSymbol(400, 4, 6, 150, 200, 6);
    double[] accuracy = new double[2];
    for (int bi = 0; bi < 2; bi++) {
      ModelSpec spec = new ModelSpec(InputKind.EMBEDDING, 10, 8, 16, 1, HeadKind.LAST_STEP, 4)
          .with(bi == 1, ModelSpec.Pooling.LAST, io.sparklstm.nn.Dropout.NONE);
      accuracy[bi] = heldOutAccuracy(spec, 200, train, test, 3,
          "first-symbol-of-200 bidirectional=" + (bi == 1));
    }
    assertTrue(accuracy[1] >= 0.99, "bidirectional held-out accuracy " + accuracy[1]);
    assertTrue(accuracy[0] <= 0.5, "one direction held-out accuracy " + accuracy[0]
        + ": the task no longer needs the backward direction");
  }

  /**
   * Bracketed records whose closing symbol repeats a key up to 16 steps back, read in windows of
   * 12 steps: most keys lie in the previous window, so only the carried state predicts them.
   */
  @Test
  void learnsLongRangeLanguageWithTruncatedBptt() {
    int keys = 4;
    int fillers = 4;
    int vocab = SyntheticTasks.bracketVocabulary(keys, fillers);
    int[] train = SyntheticTasks.bracketLanguage(60_000, keys, fillers, 6, 14, 5);
    int[] valid = SyntheticTasks.bracketLanguage(8_000, keys, fillers, 6, 14, 6);
    int streams = 16;
    int window = 12;
    LstmNetwork net = new LstmNetwork(ModelSpec.languageModel(vocab, 48, 1), Precision.FLOAT,
        streams, window);
    net.initialize(7);
    Optimizer adam = OptimizerSpec.adam(1e-2, 5.0).build(net.layout(), Precision.FLOAT);
    LanguageModelTrainer trainer = new LanguageModelTrainer(net, adam, streams);
    TokenStreams trainStreams = new TokenStreams(train, 0, train.length, streams, window);
    TokenStreams validStreams = new TokenStreams(valid, 0, valid.length, streams, window);
    double closers = 0;
    double crossWindow = 0;
    for (int epoch = 0; epoch < 12 && closers < 0.99; epoch++) {
      EpochReport r = trainer.epoch(trainStreams, validStreams, epoch);
      double[] acc = closerAccuracy(net, validStreams, keys, window);
      closers = acc[0];
      crossWindow = acc[1];
      System.out.printf("bracket-language %s  closer acc %.4f (key in an earlier window %.4f)%n",
          r.summary("tokens"), closers, crossWindow);
    }
    assertTrue(closers >= 0.97, "closing-symbol accuracy " + closers + " (chance 0.25)");
    assertTrue(crossWindow >= 0.97, "accuracy when the key is in an earlier window " + crossWindow);
  }

  /**
   * Accuracy of predicting closing symbols: over all of them, and over those whose key lies
   * before the current window (only the carried state knows it).
   */
  public static double[] closerAccuracy(LstmNetwork net, TokenStreams streams, int keys, int window) {
    RecurrentState state = RecurrentState.zeros(net, streams.streams());
    long[] hit = new long[2];
    long[] all = new long[2];
    int[] lastKeyStep = new int[streams.streams()];
    for (int w = 0; w < streams.windows(); w++) {
      Batch b = streams.window(w);
      net.forward(b, state, new LossTotals());
      for (int t = 0; t < b.steps(); t++) {
        for (int s = 0; s < b.batch(); s++) {
          int r = t * b.batch() + s;
          if (b.tokens()[r] < keys) {
            lastKeyStep[s] = w * window + t;
          }
          int target = b.targets()[r];
          if (target >= keys && target < 2 * keys) {
            int best = 0;
            for (int k = 1; k < 2 * keys + 1; k++) {
              best = net.probability(r, k) > net.probability(r, best) ? k : best;
            }
            int kind = lastKeyStep[s] < w * window ? 1 : 0;
            all[kind]++;
            hit[kind] += best == target ? 1 : 0;
          }
        }
      }
    }
    return new double[] {(double) (hit[0] + hit[1]) / (all[0] + all[1]), (double) hit[1] / all[1]};
  }
}
