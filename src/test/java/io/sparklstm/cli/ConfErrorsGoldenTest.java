package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.ml.param.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a job configuration accepts and the error message of everything it refuses, for every
 * conf key and values of every form (valid and not, at and beyond their bounds), against golden
 * data recorded from the jobs' configuration before the settings were declared once
 * ({@code src/test/resources/golden/conf-errors.tsv}, written by JobKeys as of c248716). Run with
 * {@code -Dgolden.write=true} to record it again (only ever on purpose).
 */
public class ConfErrorsGoldenTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/conf-errors.tsv");

  /** Values of every form the keys take, valid and not, at and beyond their bounds. */
  public static final List<String> SAMPLES = List.of("", "abc", "0", "1", "-1", "2", "0.5", "0.999",
      "0.9995", "0.999999", "0.9999999", "0.999999999", "1e-8", "1e-12", "1e-13", "1e-30",
      "1e-31", "1e3", "1000.5", "1001", "64", "65", "100000", "100001", "1000000", "1000001",
      "2147483647", "2147483648", "-9223372036854775808", "9223372036854775807",
      "9223372036854775808", "1e9", "1.1e9", "3.4028234663852886E38", "1e39", "NaN", "Infinity",
      "-0.0", "+5", "0x10", "1.0", "5d", "auto", "Auto", "true", "false", "TRUE", "tokens",
      "embedding", "dense", "char", "word", "adam", "sgd", "rmsprop", "constant", "step",
      "exponential", "cosine", "language-model", "classification", "text", "idx",
      "labelled-dirs", "csv", "parquet", "data/x.txt", "hdfs:///a b", " 7 ", "0.1 ", "last",
      "mean", "max", "0.99999", "1.0E-8");

  @TempDir
  Path dir;

  /** Case name to "ok" or the message, in a fixed order. */
  private List<String[]> outcomes() throws IOException {
    List<String[]> out = new ArrayList<>();
    for (String key : Settings.confKeys().stream().sorted().toList()) {
      for (String v : SAMPLES) {
        out.add(outcome("--set " + key + "=" + v,
            () -> JobConfig.load(null, List.of("data.train=x", key + "=" + v))));
      }
    }
    out.add(outcome("no data.train", () -> JobConfig.load(null, List.of())));
    out.add(outcome("unknown key", () -> JobConfig.load(null, List.of("model.hiden=3"))));
    out.add(outcome("no =", () -> JobConfig.load(null, List.of("model.hidden"))));
    out.add(outcome("empty key", () -> JobConfig.load(null, List.of("=3"))));
    Path conf = Files.writeString(dir.resolve("a.conf"), "# comment\n\ndata.train = x\n"
        + "  model.hidden = 12  \nmodel.layers = 0\n");
    out.add(outcome("file", () -> JobConfig.load(conf, List.of())));
    out.add(outcome("file, fixed by --set",
        () -> JobConfig.load(conf, List.of("model.layers=3"))));
    Path bad = Files.writeString(dir.resolve("b.conf"), "data.train = x\nhidden 3\n");
    out.add(outcome("file, no =", () -> JobConfig.load(bad, List.of())));
    out.add(outcome("no file", () -> JobConfig.load(dir.resolve("none.conf"), List.of())));
    out.add(outcome("checkpoint, unknown key",
        () -> JobConfig.of(Map.of("data.train", "x", "old.key", "1"))));
    out.add(outcome("checkpoint, bad value",
        () -> JobConfig.of(Map.of("data.train", "x", "train.epochs", "0"))));
    out.add(outcome("checkpoint, no data.train", () -> JobConfig.of(Map.of())));
    return out;
  }

  private String[] outcome(String name, Load load) throws IOException {
    try {
      load.get();
      return new String[] {name, "ok"};
    } catch (IllegalArgumentException e) {
      return new String[] {name, e.getClass().getSimpleName() + ": "
          + e.getMessage().replace(dir.toString(), "DIR")};
    }
  }

  @FunctionalInterface
  private interface Load {
    JobConfig get() throws IOException;
  }

  /** The known keys of an unknown-key message as a sorted list: their order is the groups'. */
  private static String normalized(String message) {
    String head = "; known keys: ";
    int at = message.indexOf(head);
    if (at < 0) {
      return message;
    }
    return message.substring(0, at + head.length()) + String.join(", ",
        List.of(message.substring(at + head.length()).split(", ")).stream().sorted().toList());
  }

  @Test
  void everyKeyAcceptsAndRefusesWhatItDidWithTheSameMessage() throws IOException {
    List<String[]> now = outcomes();
    if (Boolean.getBoolean("golden.write")) {
      Files.write(GOLDEN, now.stream().map(o -> o[0] + "\t" + o[1]).toList(),
          StandardCharsets.UTF_8);
    }
    List<String> golden = Files.readAllLines(GOLDEN, StandardCharsets.UTF_8);
    assertEquals(golden.size(), now.size(), "cases");
    long refused = 0;
    for (int i = 0; i < golden.size(); i++) {
      String[] g = golden.get(i).split("\t", 2);
      assertEquals(g[0], now.get(i)[0], "case " + i);
      assertEquals(normalized(g[1]), normalized(now.get(i)[1]), g[0]);
      refused += g[1].equals("ok") ? 0 : 1;
    }
    assertTrue(refused > 1000 && golden.size() - refused > 200, refused + " refused of "
        + golden.size());
  }
}
