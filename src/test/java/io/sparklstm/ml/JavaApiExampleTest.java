package io.sparklstm.ml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.nn.Rng;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java example, as it is printed there, runs on generated data. */
class JavaApiExampleTest {
  @TempDir
  Path dir;

  @Test
  void theReadmeShowsThisExampleAndItRuns() throws Exception {
    String source = Files.readString(Path.of("src/test/java/io/sparklstm/ml/JavaApiExample.java"));
    assertTrue(Files.readString(Path.of("README.md")).contains(source),
        "README.md shows JavaApiExample.java verbatim");

    StringBuilder csv = new StringBuilder("text,category\n");
    MlTests.spamTexts(500, 1).forEach(r -> csv.append(r[0]).append(',').append(r[1])
        .append('\n'));
    Path texts = Files.writeString(dir.resolve("texts.csv"), csv.toString());
    Rng rng = new Rng(2);
    String[] words = {"whale", "sea", "ship", "captain", "the", "white", "call", "me"};
    StringBuilder corpus = new StringBuilder();
    for (int line = 0; line < 900; line++) {
      for (int w = 0; w < 5; w++) {
        corpus.append(w == 0 ? "" : " ").append(words[rng.nextInt(words.length)]);
      }
      corpus.append(".\n");
    }
    Path text = Files.writeString(dir.resolve("corpus.txt"), corpus.toString());

    PrintStream console = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (SparkSession spark = MlTests.session()) { // the example's getOrCreate() finds it
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      JavaApiExample.main(new String[] {texts.toString(), text.toString(),
          dir.resolve("out").toString()});
    } finally {
      System.setOut(console);
    }
    String out = printed.toString(StandardCharsets.UTF_8);
    console.print(out);
    double accuracy = Double.parseDouble(out.replaceAll("(?s).*held-out accuracy: ([0-9.]+).*",
        "$1"));
    assertTrue(accuracy >= 0.9, out);
    assertTrue(out.contains("|the wh|") && out.contains("reloaded classifier stages: 3"), out);
    assertTrue(Files.isRegularFile(dir.resolve("out/lm/data/model.bin")));
  }
}
