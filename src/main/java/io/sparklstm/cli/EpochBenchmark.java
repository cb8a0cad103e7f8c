package io.sparklstm.cli;

import io.sparklstm.data.TokenStreams;
import io.sparklstm.data.Vocabulary;
import io.sparklstm.nn.Blas;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.Precision;
import io.sparklstm.optim.Optimizer;
import io.sparklstm.optim.OptimizerSpec;
import io.sparklstm.train.LanguageModelTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The baseline of the Spark scaling figure: epochs of the CHARLM job (conf/char-lm.conf's
 * model and optimizer, the first 90% of the text) with the single-process trainer, no Spark,
 * in one thread with one BLAS thread. Prints tokens/s over each whole epoch (the first one
 * includes the JIT's warm-up).
 *
 * <p>Usage: {@code EpochBenchmark TEXT_FILE [EPOCHS [BLAS_THREADS]]}.
 */
public final class EpochBenchmark {
  private EpochBenchmark() {}

  public static void main(String[] args) throws IOException {
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    Blas.setThreads(args.length > 2 ? Integer.parseInt(args[2]) : 1);
    String text = Files.readString(Path.of(args[0]));
    TreeSet<String> chars = new TreeSet<>();
    text.codePoints().forEach(cp -> chars.add(Character.toString(cp)));
    Vocabulary vocab = new Vocabulary(false, new ArrayList<>(chars));
    int[] ids = vocab.encode(text);
    int train = (int) Math.floor(ids.length * 0.9);
    LstmNetwork net = new LstmNetwork(ModelSpec.languageModel(vocab.size(), 256, 2),
        Precision.FLOAT, 32, 100);
    net.initialize(1);
    Optimizer adam = OptimizerSpec.adam(2e-3, 5).build(net.layout(), Precision.FLOAT);
    LanguageModelTrainer trainer = new LanguageModelTrainer(net, adam, 32);
    TokenStreams streams = new TokenStreams(ids, 0, train, 32, 100);
    for (int epoch = 1; epoch <= epochs; epoch++) {
      LossTotals totals = new LossTotals();
      trainer.state().reset();
      long t0 = System.nanoTime();
      trainer.train(streams, 0, streams.windows(), totals);
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "RESULT epoch=%d single-process threads=%d tokens=%d "
              + "seconds=%.1f tokens/s = %.0f ; loss %.4f%n", epoch, Blas.threads(),
          totals.count(), seconds, totals.count() / seconds, totals.meanLoss());
    }
  }
}
