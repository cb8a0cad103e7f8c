package io.sparklstm.cli;

import io.sparklstm.data.Example;
import io.sparklstm.data.SyntheticTasks;
import io.sparklstm.data.TokenStreams;
import io.sparklstm.nn.Blas;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.Precision;
import io.sparklstm.optim.Optimizer;
import io.sparklstm.optim.OptimizerSpec;
import io.sparklstm.train.ClassifierTrainer;
import io.sparklstm.train.EpochReport;
import io.sparklstm.train.LanguageModelTrainer;
import java.util.List;

/**
 * A first local training run on generated tasks that need long memory, printing what it learns:
 * a language of bracketed records (truncated BPTT, carried state) and sequence classification by
 * a symbol 50+ steps before the end.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) {
    Blas.setThreads(Integer.getInteger("threads", 1));
    languageModel();
    classifier();
  }

  private static void languageModel() {
    int keys = 4;
    int fillers = 4;
    int vocab = SyntheticTasks.bracketVocabulary(keys, fillers);
    int[] train = SyntheticTasks.bracketLanguage(100_000, keys, fillers, 6, 14, 1);
    int[] valid = SyntheticTasks.bracketLanguage(10_000, keys, fillers, 6, 14, 2);
    System.out.println("== Language model: records 'key filler... END closer(key)', "
        + "2 x 48 LSTM, 16 streams, TBPTT windows of 12");
    LstmNetwork net = new LstmNetwork(ModelSpec.languageModel(vocab, 48, 2), Precision.FLOAT,
        16, 12);
    net.initialize(1);
    LanguageModelTrainer trainer = new LanguageModelTrainer(net, adam(net, 1e-2), 16);
    TokenStreams t = new TokenStreams(train, 0, train.length, 16, 12);
    TokenStreams v = new TokenStreams(valid, 0, valid.length, 16, 12);
    for (int epoch = 0; epoch < 6; epoch++) {
      EpochReport r = trainer.epoch(t, v, epoch);
      System.out.println(r.summary("tokens"));
    }
  }

  private static void classifier() {
    System.out.println("== Classifier: the label is the first symbol, 54+ steps before the end");
    List<Example> train = SyntheticTasks.recallFirstSymbol(10_000, 4, 6, 2, 65, 3);
    List<Example> test = SyntheticTasks.recallFirstSymbol(1_000, 4, 6, 55, 65, 4);
    ModelSpec spec = new ModelSpec(InputKind.EMBEDDING, 10, 8, 32, 1, HeadKind.LAST_STEP, 4);
    LstmNetwork net = new LstmNetwork(spec, Precision.FLOAT, 32, 65);
    net.initialize(2);
    ClassifierTrainer trainer = new ClassifierTrainer(net, adam(net, 1e-2), 32, 5);
    for (int epoch = 0; epoch < 3; epoch++) {
      System.out.println(trainer.epoch(train, test, epoch).summary("examples"));
    }
  }

  private static Optimizer adam(LstmNetwork net, double lr) {
    return OptimizerSpec.adam(lr, 5.0).build(net.layout(), Precision.FLOAT);
  }
}
