package io.sparklstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.ml.param.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering, by a plain scan of the main sources: the engine packages (io, nn, optim, data,
 * train) know nothing of the Spark trainer, the spark.ml layer or the jobs above them, and the
 * model math (nn, optim, data, train) nothing of Spark at all; settings are read by their conf
 * names in one binder only (ml/param), so a quoted conf key anywhere else fails here.
 */
class ArchitectureTest {
  static final Path MAIN = Path.of("src/main/java/io/sparklstm");

  /** Package to the names its sources must not mention (imports or qualified names). */
  static final Map<String, List<String>> FORBIDDEN = Map.of(
      "io", List.of("io.sparklstm.spark", "io.sparklstm.ml", "io.sparklstm.cli"),
      "nn", List.of("io.sparklstm.spark", "io.sparklstm.ml", "io.sparklstm.cli",
          "org.apache.spark"),
      "optim", List.of("io.sparklstm.spark", "io.sparklstm.ml", "io.sparklstm.cli",
          "org.apache.spark"),
      "data", List.of("io.sparklstm.spark", "io.sparklstm.ml", "io.sparklstm.cli",
          "org.apache.spark"),
      "train", List.of("io.sparklstm.spark", "io.sparklstm.ml", "io.sparklstm.cli",
          "org.apache.spark"));

  static List<Path> sources(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  @Test
  void engineLayersImportNothingAboveThem() throws IOException {
    List<String> violations = new ArrayList<>();
    int scanned = 0;
    for (Map.Entry<String, List<String>> e : FORBIDDEN.entrySet()) {
      List<Path> files = sources(MAIN.resolve(e.getKey()));
      assertTrue(!files.isEmpty(), "no sources in " + e.getKey());
      for (Path f : files) {
        scanned++;
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          for (String name : e.getValue()) {
            if (line.contains(name + ".") && !line.strip().startsWith("*")
                && !line.strip().startsWith("//")) {
              violations.add(f + ":" + (i + 1) + " uses " + name + ": " + line.strip());
            }
          }
        }
      }
    }
    assertTrue(scanned > 30, scanned + " files scanned");
    assertEquals(List.of(), violations);
  }

  /** A string literal that is a conf key: a setting read by its name outside the binder. */
  @Test
  void confKeysAreSpelledInTheSettingsAlone() throws IOException {
    Set<String> keys = Set.copyOf(Settings.confKeys());
    assertTrue(keys.contains("model.hidden") && keys.size() > 40, keys.toString());
    Pattern literal = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    List<String> violations = new ArrayList<>();
    for (Path f : sources(MAIN)) {
      if (f.startsWith(MAIN.resolve("ml/param"))) {
        continue;
      }
      List<String> lines = Files.readAllLines(f);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = literal.matcher(lines.get(i));
        while (m.find()) {
          if (keys.contains(m.group(1))) {
            violations.add(f + ":" + (i + 1) + " spells conf key \"" + m.group(1) + "\"");
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }
}
