package io.sparklstm.train;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Figures for JSON logs and reports, at a fixed number of decimals. */
public final class Decimals {
  private Decimals() {}

  /**
   * {@code v} to {@code places} decimals, rounded as {@code %.Nf} rounds (half up, from the
   * double's exact value), so that a log line reads as before; null for NaN and infinities,
   * which JSON lacks.
   */
  public static BigDecimal of(double v, int places) {
    return Double.isFinite(v) ? new BigDecimal(v).setScale(places, RoundingMode.HALF_UP) : null;
  }
}
