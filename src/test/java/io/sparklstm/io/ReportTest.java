package io.sparklstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.train.RoundRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The run report's charts: axes, ticks, labels, points, the best epoch, the partitions. */
class ReportTest {
  private static RoundRecord round(int epoch, int round, int rounds, double loss, double acc) {
    return new RoundRecord(epoch, round, rounds, 100, loss, acc, 1000, 0.1, 0.01, 0.01, 0.12,
        1 << 30);
  }

  /** The SVG of the chart under heading {@code h2}. */
  private static String chart(String html, String h2) {
    int at = html.indexOf("<h2>" + h2 + "</h2>");
    assertTrue(at >= 0, "a chart headed " + h2);
    return html.substring(html.indexOf("<svg", at), html.indexOf("</svg>", at));
  }

  private static int count(String s, String what) {
    return s.split(Pattern.quote(what), -1).length - 1;
  }

  @Test
  void aOneEpochOneRoundRunDrawsPointsOnLabelledAxes() {
    String html = Report.html("run", Map.of("spark.partitions", "0"), 2,
        List.of(round(0, 0, 1, 0.6931, 0.5)),
        List.of(new Report.EpochPoint(1, "accuracy", 0.75, 0.55)));
    String loss = chart(html, "Loss");
    assertEquals(2, count(loss, "<circle"), "one dot for the training round, one held-out");
    assertTrue(loss.contains(">epoch</text>") && loss.contains(">loss (nats)</text>"), loss);
    String acc = chart(html, "Accuracy");
    assertTrue(acc.contains(">epoch</text>") && acc.contains(">accuracy</text>"), acc);
    assertEquals(1, count(acc, "class=\"best\""), acc);
    assertTrue(acc.contains("best: epoch 1, 0.7500"), acc);
    Matcher dot = Pattern.compile("<circle cx=\"([0-9.]+)\" cy=\"([0-9.]+)\" r=\"3.5\"")
        .matcher(acc);
    assertTrue(dot.find(), "the held-out point is drawn: " + acc);
    assertTrue(Double.parseDouble(dot.group(1)) > 64 && Double.parseDouble(dot.group(2)) > 28,
        "inside the plot area: " + dot.group());
    assertTrue(html.contains("2 partitions"), html);
  }

  @Test
  void ticksAreRoundNumbersCoveringTheData() {
    assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, Chart.ticks(0, 5), 1e-12);
    assertArrayEquals(new double[] {0.8, 0.82, 0.84, 0.86, 0.88, 0.9, 0.92, 0.94},
        Chart.ticks(0.81, 0.93), 1e-12);
    double[] t = Chart.ticks(1.234, 1.234 + 1e-3);
    assertTrue(t[0] <= 1.234 && t[t.length - 1] >= 1.235 - 1e-12 && t.length <= 7,
        java.util.Arrays.toString(t));
  }

  @Test
  void aManyEpochRunMarksItsBestEpochAndLabelsTheTicks() {
    List<RoundRecord> rounds = new ArrayList<>();
    List<Report.EpochPoint> epochs = new ArrayList<>();
    double[] bits = {2.9, 2.4, 2.2, 2.25, 2.3};
    for (int e = 0; e < 5; e++) {
      for (int r = 0; r < 4; r++) {
        rounds.add(round(e, r, 4, 2.5 - 0.1 * e - 0.02 * r, 0.3));
      }
      epochs.add(new Report.EpochPoint(e + 1, "bits per token", bits[e], bits[e] * Math.log(2)));
    }
    String html = Report.html("run", Map.of("spark.partitions", "2"), 2, rounds, epochs);
    String chart = chart(html, "Bits per token");
    assertTrue(chart.contains("best: epoch 3, 2.2000"), "the lowest bits per token is best");
    for (String tick : new String[] {">0</text>", ">1</text>", ">5</text>"}) {
      assertTrue(chart.contains(tick), tick + " on the epoch axis: " + chart);
    }
    assertEquals(5, count(chart, "r=\"3.5\""), "a dot per held-out epoch, none per round");
    assertTrue(html.contains("<td style=\"text-align:left\">2</td>"), "2 used as configured");
  }
}
