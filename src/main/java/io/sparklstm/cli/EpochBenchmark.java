package io.sparklstm.cli;

import io.sparklstm.data.TokenStreams;
import io.sparklstm.data.Tokenizer;
import io.sparklstm.data.Vocabulary;
import io.sparklstm.ml.Trainers;
import io.sparklstm.ml.param.JobSettings;
import io.sparklstm.nn.Blas;
import io.sparklstm.nn.LossTotals;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.Precision;
import io.sparklstm.optim.Optimizer;
import io.sparklstm.spark.SparkTrainingConfig;
import io.sparklstm.train.LanguageModelTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The baseline of the Spark scaling figure: epochs of a language-model job configuration (model,
 * optimizer, streams, window, seed and validation fraction read from its file, as jobs/train
 * reads them) with the single-process trainer, no Spark, in one thread with one BLAS thread, on
 * the same token stream the job trains on. Prints tokens/s over each whole epoch (the first one
 * includes the JIT's warm-up).
 *
 * <p>Usage: {@code EpochBenchmark CONF TEXT_FILE [EPOCHS [BLAS_THREADS]]}.
 */
public final class EpochBenchmark {
  private EpochBenchmark() {}

  public static void main(String[] args) throws IOException {
    JobConfig conf = JobConfig.load(Path.of(args[0]), List.of());
    JobSettings cfg = conf.settings();
    int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    Blas.setThreads(args.length > 3 ? Integer.parseInt(args[3]) : 1);
    List<String> lines = Files.readAllLines(Path.of(args[1]));
    // The job's vocabulary (TextSource.vocabulary, counted here without Spark).
    Tokenizer tokenizer = cfg.textTokenizer();
    Map<String, Long> counts = new HashMap<>();
    for (String line : lines) {
      tokenizer.tokens(line).forEach(t -> counts.merge(t, 1L, Long::sum));
      counts.merge(Vocabulary.NEWLINE, 1L, Long::sum);
    }
    Vocabulary vocab = Vocabulary.of(tokenizer, counts, cfg.getVocabMinCount(),
        cfg.getVocabMaxSize());
    int[] ids = lines.stream().flatMapToInt(l -> IntStream.of(vocab.encodeLine(l))).toArray();
    int train = (int) Math.floor(ids.length * (1 - cfg.getValidationFraction()));
    SparkTrainingConfig job = Trainers.config(cfg, JobData.languageModelSpec(conf, vocab),
        cfg.getWindow(), 1);
    LstmNetwork net = new LstmNetwork(job.spec(), Precision.FLOAT, job.batchSize(), job.window());
    net.initialize(job.seed());
    Optimizer optimizer = job.optimizer().build(net.layout(), Precision.FLOAT);
    LanguageModelTrainer trainer = new LanguageModelTrainer(net, optimizer, job.batchSize());
    TokenStreams streams = new TokenStreams(ids, 0, train, job.batchSize(), job.window());
    for (int epoch = 1; epoch <= epochs; epoch++) {
      LossTotals totals = new LossTotals();
      trainer.state().reset();
      long t0 = System.nanoTime();
      trainer.train(streams, 0, streams.windows(), 0, 0, totals);
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "RESULT epoch=%d single-process threads=%d tokens=%d "
              + "seconds=%.1f tokens/s = %.0f ; loss %.4f%n", epoch, Blas.threads(),
          totals.count(), seconds, totals.count() / seconds, totals.meanLoss());
    }
  }
}
