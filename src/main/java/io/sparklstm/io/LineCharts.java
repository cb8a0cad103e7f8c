package io.sparklstm.io;

import java.util.List;

/** Line charts ({@link Chart}) for pages other than a run's report, e.g. the scaling study's. */
public final class LineCharts {
  /** Tableau's ten colours: the curves of one chart stay apart. */
  private static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
      "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

  private LineCharts() {}

  /** A named curve through (xs[i], ys[i]). */
  public record Line(String name, double[] xs, double[] ys) {}

  /** An SVG chart with labelled axes, one curve (with a dot at each point) per line. */
  public static String svg(String xLabel, String yLabel, List<Line> lines) {
    Chart c = new Chart(xLabel, yLabel);
    for (int i = 0; i < lines.size(); i++) {
      Line l = lines.get(i);
      c.add(new Chart.Series(l.name(), PALETTE[i % PALETTE.length], l.xs(), l.ys(), true));
    }
    return c.svg();
  }

  /** {@code s} as HTML text. */
  public static String escape(String s) {
    return Report.escape(s);
  }
}
