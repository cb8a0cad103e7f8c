package io.sparklstm.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.data.Pair;
import io.sparklstm.data.SyntheticTasks;
import io.sparklstm.nn.Precision;
import io.sparklstm.nn.Seq2SeqDecoder;
import io.sparklstm.nn.Seq2SeqNetwork;
import io.sparklstm.nn.Seq2SeqSpec;
import io.sparklstm.optim.Optimizer;
import io.sparklstm.optim.OptimizerSpec;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The encoder-decoder learns generated transductions of sequences of 10 to 20 symbols: decoded
 * greedily, held-out pairs come out exactly right.
 */
class Seq2SeqLearningTest {
  @ParameterizedTest(name = "reverse {0}, attention {1}, bidirectional encoder {2}")
  @CsvSource({"true, true, false", "false, true, true"})
  void learnsToReverseAndCopy(boolean reverse, boolean attention, boolean bidirectional) {
    int symbols = 8;
    List<Pair> train = SyntheticTasks.reverseOrCopy(4000, symbols, 10, 20, reverse, 1);
    List<Pair> test = SyntheticTasks.reverseOrCopy(300, symbols, 10, 20, reverse, 2);
    Seq2SeqSpec spec = new Seq2SeqSpec(symbols, symbols + 1, 64, 1, bidirectional, attention);
    double accuracy = heldOutSequenceAccuracy(spec, train, test, 30,
        (reverse ? "reverse" : "copy") + " attention " + attention);
    assertTrue(accuracy >= 0.99, "held-out sequence accuracy " + accuracy);
  }

  /** Adam until the held-out greedy sequence accuracy reaches 0.995 or the epochs run out. */
  static double heldOutSequenceAccuracy(Seq2SeqSpec spec, List<Pair> train, List<Pair> test,
      int epochs, String name) {
    Seq2SeqNetwork net = new Seq2SeqNetwork(spec, Precision.FLOAT, 32, 20, 21);
    net.initialize(3);
    Optimizer adam = OptimizerSpec.adam(1e-2, 5.0).build(net.layout(), Precision.FLOAT);
    Seq2SeqTrainer trainer = new Seq2SeqTrainer(net, adam, 32, 4);
    Seq2SeqDecoder decoder = new Seq2SeqDecoder(net);
    double accuracy = 0;
    for (int epoch = 0; epoch < epochs && accuracy < 0.995; epoch++) {
      EpochReport r = trainer.epoch(train, test, epoch);
      SequenceMetrics m = Seq2SeqTrainer.decodeAndScore(decoder, test, 1, 0, 30);
      accuracy = m.sequenceAccuracy();
      System.out.printf("%s %s  sequence accuracy %.4f  element error rate %.4f%n", name,
          r.summary("pairs"), accuracy, m.elementErrorRate());
    }
    return accuracy;
  }
}
