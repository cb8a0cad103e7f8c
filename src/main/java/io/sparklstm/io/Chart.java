package io.sparklstm.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An inline SVG line chart: axes with ticks at round numbers and their labels, one or more
 * series (a line through their points and, for series with markers or a single point, a dot at
 * each point), a legend, and optionally one point singled out with a ring and a label.
 */
final class Chart {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 300;
  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 28;
  private static final int BOTTOM = 48;
  private static final String MARK = "#d62728";

  /** A named series of points, drawn in {@code color}; markers: a dot at every point. */
  record Series(String name, String color, double[] xs, double[] ys, boolean markers) {}

  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private double markX = Double.NaN;
  private double markY;
  private String markLabel;

  Chart(String xLabel, String yLabel) {
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  Chart add(Series s) {
    series.add(s);
    return this;
  }

  /** Rings the point (x, y) and writes {@code label} beside it. */
  Chart mark(double x, double y, String label) {
    markX = x;
    markY = y;
    markLabel = label;
    return this;
  }

  String svg() {
    double[] xr = range(true);
    double[] yr = range(false);
    double[] xTicks = ticks(xr[0], xr[1]);
    double[] yTicks = ticks(yr[0], yr[1]);
    xr = new double[] {Math.min(xr[0], xTicks[0]), Math.max(xr[1], xTicks[xTicks.length - 1])};
    yr = new double[] {Math.min(yr[0], yTicks[0]), Math.max(yr[1], yTicks[yTicks.length - 1])};
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "<svg width=\"%d\" "
        + "height=\"%d\" role=\"img\" aria-label=\"%s against %s\" font-size=\"12\" "
        + "font-family=\"sans-serif\">", WIDTH, HEIGHT, Report.escape(yLabel),
        Report.escape(xLabel)));
    int x0 = LEFT;
    int x1 = WIDTH - RIGHT;
    int y0 = HEIGHT - BOTTOM;
    int y1 = TOP;
    for (double t : yTicks) {
      double y = sy(t, yr);
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
              + "stroke=\"#e4e4e4\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
          x0, y, x1, y, x0 - 6, y + 4, label(t, yTicks)));
    }
    for (double t : xTicks) {
      double x = sx(t, xr);
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
              + "stroke=\"#888\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
          x, y0, x, y0 + 5, x, y0 + 18, label(t, xTicks)));
    }
    s.append(String.format(Locale.ROOT, "<path d=\"M%d %dV%dH%d\" fill=\"none\" stroke=\"#444\"/>"
            + "<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>"
            + "<text class=\"axis-label\" transform=\"translate(14 %d) rotate(-90)\" "
            + "text-anchor=\"middle\">%s</text>", x0, y1, y0, x1, (x0 + x1) / 2, HEIGHT - 10,
        Report.escape(xLabel), (y0 + y1) / 2, Report.escape(yLabel)));
    int legendX = x0 + 10;
    for (Series se : series) {
      s.append(polyline(se, xr, yr));
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"14\" x2=\"%d\" y2=\"14\" "
              + "stroke=\"%s\" stroke-width=\"2\"/><text x=\"%d\" y=\"18\">%s</text>", legendX,
          legendX + 18, se.color(), legendX + 22, Report.escape(se.name())));
      legendX += 40 + 7 * se.name().length();
    }
    if (!Double.isNaN(markX)) {
      // The ring on the point; its label goes in the legend, where no curve runs through it.
      s.append(String.format(Locale.ROOT, "<circle class=\"best\" cx=\"%.1f\" cy=\"%.1f\" "
              + "r=\"7\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/><circle cx=\"%d\" "
              + "cy=\"14\" r=\"5\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>"
              + "<text x=\"%d\" y=\"18\" fill=\"%s\">%s</text>", sx(markX, xr), sy(markY, yr),
          MARK, legendX + 9, MARK, legendX + 22, MARK, Report.escape(markLabel)));
    }
    return s.append("</svg>").toString();
  }

  private String polyline(Series se, double[] xr, double[] yr) {
    StringBuilder points = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    boolean dotted = se.markers() || se.xs().length == 1;
    for (int i = 0; i < se.xs().length; i++) {
      if (!Double.isFinite(se.ys()[i])) {
        continue;
      }
      double x = sx(se.xs()[i], xr);
      double y = sy(se.ys()[i], yr);
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      if (dotted) {
        dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
            + "fill=\"%s\"/>", x, y, se.color()));
      }
    }
    // A series without markers (training rounds, often many and noisy) is drawn lighter.
    return String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%s\""
        + " stroke-opacity=\"%s\" points=\"%s\"/>", se.color(), se.markers() ? "2" : "1.5",
        se.markers() ? "1" : "0.7", points.toString().strip()) + dots;
  }

  private double sx(double x, double[] r) {
    return LEFT + (x - r[0]) / (r[1] - r[0]) * (WIDTH - LEFT - RIGHT);
  }

  private double sy(double y, double[] r) {
    return HEIGHT - BOTTOM - (y - r[0]) / (r[1] - r[0]) * (HEIGHT - BOTTOM - TOP);
  }

  /** The finite values' range along x or y; widened when all values are equal. */
  private double[] range(boolean x) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      double[] v = x ? s.xs() : s.ys();
      for (int i = 0; i < v.length; i++) {
        if (Double.isFinite(s.ys()[i])) {
          lo = Math.min(lo, v[i]);
          hi = Math.max(hi, v[i]);
        }
      }
    }
    if (lo > hi) {
      return new double[] {0, 1};
    }
    if (x) {
      lo = Math.min(lo, 0);
    }
    if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
      double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
      return new double[] {lo - pad, hi + pad};
    }
    return new double[] {lo, hi};
  }

  /** About five ticks at 1, 2 or 5 times a power of ten, covering [lo, hi]. */
  static double[] ticks(double lo, double hi) {
    double raw = (hi - lo) / 5;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = magnitude * (raw / magnitude < 1.5 ? 1 : raw / magnitude < 3.5 ? 2
        : raw / magnitude < 7.5 ? 5 : 10);
    double first = Math.floor(lo / step + 1e-9) * step;
    double last = Math.ceil(hi / step - 1e-9) * step;
    int n = (int) Math.round((last - first) / step) + 1;
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = first + i * step;
    }
    return t;
  }

  /** A tick's label with as many decimals as the ticks' step needs. */
  private static String label(double v, double[] ticks) {
    double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
    int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step * 1e-6 ? 0 : v);
  }
}
