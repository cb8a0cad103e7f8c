package io.sparklstm.cli;

import io.sparklstm.io.Seq2SeqModelFile;
import io.sparklstm.ml.param.JobSettings;
import io.sparklstm.nn.Seq2SeqTranslator;
import io.sparklstm.spark.PairSource.Splitter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code translate --model DIR --input FILE|- [--beam K] [--length-alpha A] [--max-length N]}:
 * decodes every line of the input with a seq2seq model and prints one output line per input
 * line, in order (from standard input, each line as soon as it is read). The speed goes to
 * standard error at the end.
 */
final class TranslateJob {
  static final String HELP = """
      Usage: jobs/translate --model DIR --input FILE|- [--beam K] [--length-alpha A]
                            [--max-length N]
        --model         a seq2seq run's model directory (DIR/model) or its seq2seq.safetensors
        --input         a UTF-8 text file of sources, one a line, or - for standard input
        --beam          beam width (1: greedy; default: the model's decode.beam)
        --length-alpha  beam search's length normalisation exponent (default: the model's)
        --max-length    the longest output in tokens (default: the model's decode.max.length)
      An empty or undecodable line fails with its line number.""";

  /** Sentences decoded together from a file. */
  private static final int CHUNK = 64;

  private TranslateJob() {}

  static void run(List<String> argv) throws Exception {
    Args a = Args.parse(argv, Set.of("--model", "--input", "--beam", "--length-alpha",
        "--max-length"), Set.of());
    String path = a.required("--model");
    Configuration conf = new Configuration();
    String file = Seq2SeqJobs.modelFile(path, conf);
    if (file == null) {
      throw new JobConfig.ConfigException("--model " + path + ": no seq2seq model there; "
          + "expected a run's model directory (DIR/model) or its " + Seq2SeqModelFile.NAME);
    }
    Seq2SeqModelFile model = Seq2SeqModelFile.read(file, conf);
    JobSettings s = JobSettings.fromConf(model.config(), file);
    int beam = a.integer("--beam", s.getBeam());
    double alpha = a.number("--length-alpha", s.getLengthAlpha());
    int maxLength = a.integer("--max-length", s.getDecodeMaxLength());
    if (beam < 1 || maxLength < 1) {
      throw new JobConfig.ConfigException("--beam and --max-length must be at least 1");
    }
    String input = a.required("--input");
    boolean stdin = input.equals("-");
    if (!stdin && !Files.isRegularFile(Path.of(input))) {
      throw new JobConfig.ConfigException("--input " + input + ": no such file");
    }
    Splitter source = new Splitter(model.sourceSplit());
    Splitter target = new Splitter(model.targetSplit());
    int chunk = stdin ? 1 : CHUNK;
    Seq2SeqTranslator translator = new Seq2SeqTranslator(model.spec(), model.params(), chunk,
        beam, alpha, maxLength);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    long start = System.nanoTime(); // after loading: the speed of decoding alone
    long lines = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(stdin ? System.in
        : Files.newInputStream(Path.of(input)), StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)))) {
      List<int[]> batch = new ArrayList<>();
      String where = stdin ? "standard input" : input;
      for (String line = readLine(in, where, lines); line != null;
          line = readLine(in, where, lines)) {
        lines++;
        String[] tokens = source.split(line);
        if (tokens.length == 0) {
          throw new IllegalArgumentException(where + " line " + lines + ": source is empty");
        }
        batch.add(model.source().ids(tokens));
        if (batch.size() == chunk) {
          print(out, translator.decode(batch), model, target);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        print(out, translator.decode(batch), model, target);
      }
    }
    out.flush();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.err.printf(Locale.ROOT, "decoded %d lines in %.2f s (%.1f lines/s, %s)%n", lines,
        seconds, lines / seconds, beam == 1 ? "greedy" : "beam " + beam);
  }

  private static String readLine(BufferedReader in, String where, long read) throws IOException {
    try {
      return in.readLine();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IOException(where + " line " + (read + 1) + ": not UTF-8 text");
    }
  }

  private static void print(PrintStream out, int[][] outputs, Seq2SeqModelFile model,
      Splitter target) {
    for (int[] o : outputs) {
      out.println(target.join(model.target().tokens(o)));
    }
    out.flush();
  }
}
