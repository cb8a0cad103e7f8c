package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.nn.Rng;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scaling study end to end on a small generated text, in Spark local mode. */
class ScaleBenchmarkTest {
  @TempDir
  Path dir;

  @Test
  void studyWritesEveryRunTheTableAndTheCharts() throws Exception {
    // Sentences of a small grammar: a language model learns it quickly.
    Rng rng = new Rng(3);
    String[] words = {"the cat", "a dog", "sat", "ran", "on the mat", "far away"};
    StringBuilder text = new StringBuilder();
    for (int line = 0; line < 400; line++) {
      text.append(words[rng.nextInt(2)]).append(' ').append(words[2 + rng.nextInt(2)])
          .append(' ').append(words[4 + rng.nextInt(2)]).append(".\n");
    }
    Path train = Files.writeString(dir.resolve("text.txt"), text);
    Path conf = Files.writeString(dir.resolve("tiny.conf"), String.join("\n",
        "task = language-model", "data.format = text", "data.train = " + train,
        "data.validation.fraction = 0.1", "vocab.level = char", "model.input = tokens",
        "model.hidden = 16", "model.layers = 1", "train.batch = 4", "train.window = 20",
        "optim.lr = 0.01", "average.every = 10", "checkpoint.every.rounds = 0", ""));
    Path out = dir.resolve("out");
    List<String> args = List.of("--out", out.toString(), "--conf", conf.toString(),
        "--partitions", "1,2", "--settings", "auto/8,plain/8/reset,plain/8/all", "--budget", "0.5",
        "--evals", "2", "--master", "local[2]");
    ScaleBenchmark.run(args);

    List<String> study = Files.readAllLines(out.resolve("study.csv"));
    assertEquals("workload,setting,partitions,tokens,metric_name,metric,wall_seconds,failure",
        study.get(0));
    // The reference, then auto at N = 2 (at N = 1 it is the reference), plain/reset at 1 and 2.
    for (String run : new String[] {"tiny,1 worker,1,", "tiny,bm auto K=8,2,",
        "tiny,plain K=8 reset,1,", "tiny,plain K=8 reset,2,"}) {
      assertTrue(study.stream().filter(l -> l.startsWith(run)).count() >= 2,
          run + " has its evaluations: " + study);
    }
    assertTrue(study.stream().noneMatch(l -> l.startsWith("tiny,bm auto K=8,1,")), study
        .toString());
    assertTrue(study.stream().skip(1).allMatch(l -> l.split(",")[4].equals("bits per token")));
    List<String> rounds = Files.readAllLines(out.resolve("rounds.csv"));
    assertTrue(rounds.stream().skip(1).allMatch(l -> Long.parseLong(l.split(",")[11]) > 0),
        "every round's result bytes were seen by the listener: " + rounds);

    String summary = Files.readString(out.resolve("summary.txt"));
    assertTrue(summary.contains("Tokens (examples) to reach the one-worker model's held-out "
        + "bits per token"), summary);
    assertTrue(summary.lines().anyMatch(l -> l.startsWith("bm auto K=8 ")), summary);
    assertTrue(summary.contains("Predicted round at scale"), summary);
    // The split batch: 2 streams a partition at N = 2, so the first round of 8 windows of 20
    // steps is 2 x 2 x 20 x 8 tokens, where a batch per task makes it 2 x 4 x 20 x 8.
    assertEquals("640", rounds.stream().filter(l -> l.startsWith("tiny,plain K=8 split batch,2,"))
        .findFirst().orElseThrow().split(",")[5]);
    assertEquals("1280", rounds.stream().filter(l -> l.startsWith("tiny,plain K=8 reset,2,"))
        .findFirst().orElseThrow().split(",")[5]);
    assertTrue(summary.contains("Predicted with \"plain K=8 split batch\""), summary);
    assertTrue(summary.lines().anyMatch(l -> l.matches("128 +1 .*")), "share 1 at 128: "
        + summary);
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains(">tokens seen (thousands)</text>"), "x axis labelled");
    assertTrue(html.contains(">held-out bits per token</text>"), "y axis labelled");
    assertTrue(html.contains("tiny, N = 2") && html.contains("tiny, bm auto K=8"), html);
    assertTrue(Files.list(out).noneMatch(p -> p.getFileName().toString().startsWith(".tmp")));

    assertThrows(FileAlreadyExistsException.class, () -> ScaleBenchmark.run(args),
        "an existing output is refused");
    List<String> scoped = List.of("--out", dir.resolve("scoped").toString(), "--conf",
        conf.toString(), "--set", "train.batch.scope=all");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ScaleBenchmark.run(scoped), "each setting chooses the scope");
    assertTrue(e.getMessage().contains("append /all"), e.getMessage());
    assertTrue(Files.notExists(dir.resolve("scoped")), "nothing written");
  }
}
