package io.sparklstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.cli.ScaleStudy.Point;
import io.sparklstm.cli.ScaleStudy.Setting;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The study's settings, evaluation schedule and "tokens to reach" (pure functions). */
class ScaleStudyTest {
  @Test
  void settingsParseToTheJobKeysAndLabels() {
    Setting plain = Setting.parse("plain/50");
    assertEquals("plain K=50", plain.label());
    assertEquals(List.of("average.block.momentum=0.0", "average.every=50",
        "average.optimizer.state=true", "train.batch.scope=partition"), plain.overrides());
    assertTrue(plain.singleWorkerAtOne());
    Setting auto = Setting.parse("auto/10/reset");
    assertEquals("bm auto K=10 reset", auto.label());
    assertEquals(List.of("average.block.momentum=auto", "average.every=10",
        "average.optimizer.state=false", "train.batch.scope=partition"), auto.overrides());
    assertFalse(auto.singleWorkerAtOne(), "a reset optimizer is not one worker's training");
    assertTrue(Setting.parse("auto/10").singleWorkerAtOne(), "auto is 0 on one partition");
    assertFalse(Setting.parse("0.9/50").singleWorkerAtOne());
    assertEquals("bm 0.9 K=50", Setting.parse("0.9/50").label());
    assertEquals(3, Setting.parseList("plain/50, auto/10,0.9/200").size());
    Setting split = Setting.parse("plain/10/all");
    assertEquals("plain K=10 split batch", split.label());
    assertEquals("train.batch.scope=all", split.overrides().get(3));
    assertTrue(split.singleWorkerAtOne(), "a split batch is the whole batch on one partition");
    Setting both = Setting.parse("auto/10/all/reset");
    assertEquals(both, Setting.parse("auto/10/reset/all"));
    assertEquals("bm auto K=10 reset split batch", both.label());
    for (String bad : new String[] {"auto", "auto/0", "auto/x", "1.5/10", "auto/10/keep",
        "auto/10/reset/x", "fast/10", "auto/10/all/all", "auto/10/reset/reset"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Setting.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("setting '" + bad + "': expected"), e.getMessage());
    }
  }

  private static List<Point> points(double... metrics) {
    return java.util.stream.IntStream.range(0, metrics.length)
        .mapToObj(i -> new Point(1000L * (i + 1), metrics[i], i)).toList();
  }

  @Test
  void tokensToReachIsTheFirstEvaluationAtOrPastTheTarget() {
    List<Point> bits = points(3.0, 2.5, 2.2, 2.3, 2.1);
    assertEquals(OptionalLong.of(3000), ScaleStudy.tokensToReach(bits, 2.2, true),
        "equal counts as reached; later dips do not matter");
    assertEquals(OptionalLong.of(5000), ScaleStudy.tokensToReach(bits, 2.15, true));
    assertEquals(OptionalLong.empty(), ScaleStudy.tokensToReach(bits, 2.0, true));
    assertEquals(OptionalLong.of(1000), ScaleStudy.tokensToReach(bits, 3.5, true));
    List<Point> accuracy = points(0.5, 0.8, 0.7, 0.85);
    assertEquals(OptionalLong.of(2000), ScaleStudy.tokensToReach(accuracy, 0.75, false),
        "for accuracy higher is better");
    assertEquals(OptionalLong.empty(), ScaleStudy.tokensToReach(accuracy, 0.9, false));
    assertEquals(OptionalLong.empty(), ScaleStudy.tokensToReach(List.of(), 1, true));
  }

  @Test
  void evaluationsFollowTheFirstRoundPastEachStepAndTheLast() {
    // Budget 1000 in 4 steps: 250, 500, 750, 1000.
    assertFalse(ScaleStudy.evaluateAfter(0, 200, 1000, 4));
    assertTrue(ScaleStudy.evaluateAfter(200, 250, 1000, 4));
    assertTrue(ScaleStudy.evaluateAfter(200, 400, 1000, 4));
    assertFalse(ScaleStudy.evaluateAfter(250, 400, 1000, 4));
    assertTrue(ScaleStudy.evaluateAfter(400, 900, 1000, 4), "a round across two steps: once");
    assertTrue(ScaleStudy.evaluateAfter(900, 1200, 1000, 4), "past the budget: the last");
    assertFalse(ScaleStudy.evaluateAfter(0, 999, 1000, 0), "no steps: the last only");
    assertTrue(ScaleStudy.evaluateAfter(999, 1000, 1000, 0));
  }
}
