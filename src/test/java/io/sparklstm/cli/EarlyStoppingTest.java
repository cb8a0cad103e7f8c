package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.io.SavedModel;
import io.sparklstm.ml.Trainers;
import io.sparklstm.ml.param.JobSettings;
import io.sparklstm.nn.Rng;
import io.sparklstm.optim.LearningRateSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Early stopping and the best model through {@code jobs/train} in a local Spark session, on a
 * classification task built to overfit: its held-out loss falls for three epochs, then rises
 * (issue 13, must show 5), with reduce-on-plateau, retention and resumes.
 */
class EarlyStoppingTest {
  @TempDir
  static Path dir;
  static Path conf;

  /**
   * Texts of random words whose label is 1 when "alpha" comes before "beta", with a label in
   * {@code noise} of them flipped: the model first learns the rule, then the flips by heart.
   */
  static Path texts(String name, int n, long seed, double noise) throws Exception {
    Rng rng = new Rng(seed);
    StringBuilder csv = new StringBuilder("text,label\n");
    for (int i = 0; i < n; i++) {
      List<String> words = new ArrayList<>();
      for (int w = 0; w < 6; w++) {
        words.add("w" + rng.nextInt(40));
      }
      int label = rng.nextInt(2);
      words.add(label == 1 ? "alpha" : "beta");
      if (rng.nextDouble() < noise) {
        label = 1 - label;
      }
      csv.append(String.join(" ", words)).append(',').append(label).append('\n');
    }
    return Files.writeString(dir.resolve(name), csv.toString());
  }

  @BeforeAll
  static void data() throws Exception {
    Path train = texts("train.csv", 240, 1, 0.25);
    Path held = texts("held.csv", 200, 2, 0.25);
    conf = Files.writeString(dir.resolve("overfit.conf"), String.join("\n",
        "task = classification", "data.format = csv", "data.train = " + train,
        "data.validation = " + held, "model.classes = 2", "vocab.level = word",
        "vocab.min.count = 1", "text.max.length = 8", "model.input = embedding",
        "model.embedding = 16", "model.hidden = 32", "train.epochs = 8", "train.batch = 8",
        "optim.lr = 0.005", "spark.partitions = 2", "average.every = 5", ""));
  }

  static String[] train(Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--conf", conf.toString(), "--out",
        out.toString()));
    args.addAll(List.of(more));
    return JobsTest.run(args.toArray(new String[0]));
  }

  /** The held-out loss after each epoch, from metrics.jsonl. */
  static List<Double> heldOutLosses(Path run) throws Exception {
    return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
        .filter(l -> l.startsWith("{\"type\":\"epoch\""))
        .map(l -> Double.parseDouble(l.replaceAll(".*\"validationLoss\":([0-9.]+).*", "$1")))
        .toList();
  }

  static List<String> lines(Path run, String type) throws Exception {
    return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
        .filter(l -> l.startsWith("{\"type\":\"" + type + "\"")).toList();
  }

  static float[] params(Path file) throws Exception {
    return SavedModel.read(file.toString(), new Configuration()).state().model().params();
  }

  static Path checkpoint(Path run, int epoch) {
    return run.resolve(String.format("checkpoints/ckpt-e%04d-r00000.bin", epoch));
  }

  static List<String> checkpoints(Path run) throws Exception {
    try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  // Must show 5: held-out loss that rises after epoch k leaves the model of epoch k, also
  // when the run is interrupted and resumed.
  @Test
  void theModelIsTheBestEpochsWhenHeldOutLossRisesAfterItAlsoWhenResumed() throws Exception {
    Path full = dir.resolve("best-full");
    String[] keep = {"--set", "train.best.model=true", "--set", "checkpoint.keep=2"};
    String[] r = train(full, keep);
    assertEquals("0", r[0], r[2]);
    List<Double> loss = heldOutLosses(full);
    assertEquals(8, loss.size(), loss.toString());
    // The data overfits: held-out loss falls to epoch 3, then rises after every epoch.
    int k = loss.indexOf(loss.stream().min(Double::compare).orElseThrow()) + 1;
    assertEquals(3, k, "held-out losses " + loss);
    for (int e = k; e < loss.size(); e++) {
      assertTrue(loss.get(e) > loss.get(e - 1), "held-out loss rises after epoch " + k + ": "
          + loss);
    }
    assertArrayEquals(params(checkpoint(full, 3)), params(full.resolve("model/model.bin")),
        "the run's model is the checkpoint of epoch 3, bit for bit");
    assertFalse(Arrays.equals(params(checkpoint(full, 8)),
        params(full.resolve("model/model.bin"))), "not the last");
    assertTrue(r[1].contains("The run's model is its best held-out evaluation's: epoch 3"),
        r[1]);
    String last = lines(full, "selection").get(7);
    assertTrue(last.contains("\"bestEpoch\":3,\"bestRound\":0"), last);
    assertTrue(last.contains("5 evaluations without improving on epoch 3"), last);
    assertTrue(Files.readString(full.resolve("report.html")).contains("kept: epoch 3"));
    // checkpoint.keep = 2: the last two and the best
    assertEquals(List.of("ckpt-e0003-r00000.bin", "ckpt-e0007-r00000.bin",
        "ckpt-e0008-r00000.bin"), checkpoints(full));

    // Interrupted in epoch 5 (3 rounds an epoch) after the best was found, then resumed.
    Path parts = dir.resolve("best-parts");
    String[] stopped = train(parts, with(keep, "--set", "train.max.rounds=13"));
    assertEquals("0", stopped[0], stopped[2]);
    assertArrayEquals(params(checkpoint(full, 3)), params(parts.resolve("model/model.bin")),
        "stopped by its budget, the run's model is the best so far");
    String[] resumed = train(parts, with(keep, "--resume"));
    assertEquals("0", resumed[0], resumed[2]);
    RunLifecycleTest.assertSameRun(full, parts);
    assertEquals(checkpoints(full), checkpoints(parts));
  }

  @Test
  void patienceStopsAtTheRightEpoch() throws Exception {
    Path out = dir.resolve("patience");
    String[] r = train(out, "--set", "train.early.stop.patience=3");
    assertEquals("0", r[0], r[2]);
    // best after epoch 3; 4, 5 and 6 do not improve on it: stop after epoch 6
    assertEquals(6, heldOutLosses(out).size());
    assertTrue(r[1].contains("stopping early (train.early.stop.patience = 3)"), r[1]);
    assertTrue(lines(out, "selection").get(5).contains("\"stop\":true"));
    assertEquals(6, lines(out, "round").stream().filter(l -> l.contains("\"round\":3,"))
        .count(), "no round after epoch 6");
    // without train.best.model the run keeps its last model
    assertArrayEquals(params(checkpoint(out, 6)), params(out.resolve("model/model.bin")));
  }

  @Test
  void reduceOnPlateauTriggersAndIsResumedIdentically() throws Exception {
    Path full = dir.resolve("plateau-full");
    String[] plateau = {"--set", "optim.plateau.patience=2", "--set", "optim.plateau.factor=0.1",
        "--set", "train.epochs=7"};
    assertEquals("0", train(full, plateau)[0]);
    List<String> rates = lines(full, "selection").stream()
        .map(l -> l.replaceAll(".*\"learningRateScale\":([0-9.E-]+).*", "$1")).toList();
    // best after epoch 3; 4 and 5 do not improve: x0.1 after 5; 6 and 7: x0.01 after 7
    assertEquals(List.of("1.0", "1.0", "1.0", "1.0", "0.1", "0.1", "0.010000000000000002"),
        rates);
    // the reduced rate trains otherwise than the full one: epochs 1-5 equal, 6 not
    Path plain = dir.resolve("plateau-plain");
    assertEquals("0", train(plain, "--set", "train.epochs=7")[0]);
    assertEquals(heldOutLosses(plain).subList(0, 5), heldOutLosses(full).subList(0, 5));
    assertNotEquals(heldOutLosses(plain).get(5), heldOutLosses(full).get(5));
    // interrupted after the first reduction (epoch 6, round 1), then resumed
    Path parts = dir.resolve("plateau-parts");
    assertEquals("0", train(parts, with(plateau, "--set", "train.max.rounds=16"))[0]);
    String[] resumed = train(parts, with(plateau, "--resume"));
    assertEquals("0", resumed[0], resumed[2]);
    RunLifecycleTest.assertSameRun(full, parts);
  }

  @Test
  void evaluationsInsideEpochsAreJudgedAndCheckpointedAndResumeIdentically() throws Exception {
    Path full = dir.resolve("inside-full");
    String[] every = {"--set", "train.eval.every.rounds=2", "--set", "train.best.model=true",
        "--set", "train.epochs=4"};
    String[] r = train(full, every);
    assertEquals("0", r[0], r[2]);
    // 3 rounds an epoch: evaluated after round 2 and after the epoch, each with a checkpoint
    assertEquals(4, lines(full, "evaluation").size());
    assertTrue(lines(full, "evaluation").get(0).startsWith(
        "{\"type\":\"evaluation\",\"epoch\":1,\"round\":2,\"rounds\":3,"));
    List<String> judged = lines(full, "selection");
    assertEquals(8, judged.size());
    assertEquals(8, checkpoints(full).size(), checkpoints(full).toString());
    String last = judged.get(7);
    int epoch = Integer.parseInt(last.replaceAll(".*\"bestEpoch\":(\\d+).*", "$1"));
    int round = Integer.parseInt(last.replaceAll(".*\"bestRound\":(\\d+).*", "$1"));
    assertArrayEquals(params(full.resolve(String.format("checkpoints/ckpt-e%04d-r%05d.bin",
        epoch, round))), params(full.resolve("model/model.bin")), "the best evaluation's model");
    // interrupted right after an evaluation inside epoch 3, then resumed
    Path parts = dir.resolve("inside-parts");
    assertEquals("0", train(parts, with(every, "--set", "train.max.rounds=8"))[0]);
    assertEquals("0", train(parts, with(every, "--resume"))[0]);
    RunLifecycleTest.assertSameRun(full, parts);
  }

  @Test
  void keepingTheBestWithoutHeldOutDataIsRefused() throws Exception {
    String[] r = train(dir.resolve("no-held-out"), "--set", "data.validation=", "--set",
        "train.best.model=true");
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("error: train.best.model = true needs held-out data; set "
        + "data.validation"), r[2]);
  }

  @Test
  void warmupReachesTheOptimizerFromItsSetting() {
    JobSettings s = JobSettings.fromConf(Map.of("optim.warmup", "4", "optim.schedule", "step",
        "optim.lr", "0.1"), "test");
    LearningRateSchedule w = Trainers.optimizer(s).schedule();
    assertEquals(new LearningRateSchedule.Warmup(4, new LearningRateSchedule.Step(1000, 0.5)),
        w);
    assertEquals(0.05, w.rate(0.1, 1), 0);
    assertEquals(new LearningRateSchedule.Constant(),
        Trainers.optimizer(JobSettings.fromConf(Map.of(), "test")).schedule(), "0: no warmup");
  }

  private static String[] with(String[] first, String... more) {
    return Stream.concat(Arrays.stream(first), Arrays.stream(more)).toArray(String[]::new);
  }
}
