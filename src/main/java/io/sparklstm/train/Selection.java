package io.sparklstm.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run has learnt from its held-out evaluations so far: the best one (its value and the
 * position of the checkpoint that holds its model), how many evaluations have passed without
 * improvement since it (early stopping) and since the last reduction of the learning rate
 * (reduce-on-plateau), the factor the learning rate is multiplied by, and whether the run
 * stops. It changes only through {@link #after}, a pure function of the evaluations in order,
 * and a checkpoint stores it: a resumed run makes the same choices as an undisturbed one.
 *
 * @param best the best value so far (NaN before the first evaluation)
 * @param bestEpoch the position (epoch, round of the state after the evaluated round, as in
 *     {@link TrainingState}) of the best evaluation: its checkpoint's
 * @param sinceBest evaluations since the best without improvement
 * @param sincePlateau evaluations without improvement since the best or the last reduction
 * @param rateScale multiplies the scheduled learning rate (1: unchanged)
 * @param stop the patience ran out: train no further
 */
public record Selection(double best, int bestEpoch, int bestRound, int sinceBest,
    int sincePlateau, double rateScale, boolean stop) {

  /** Before any evaluation. */
  public static final Selection INITIAL = new Selection(Double.NaN, 0, 0, 0, 0, 1, false);

  /**
   * How evaluations are judged.
   *
   * @param higherIsBetter accuracy (true) or loss (false)
   * @param minDelta an improvement must beat the best by more than this
   * @param patience stop after this many evaluations without improvement (0: never)
   * @param plateauPatience multiply the learning rate by {@code plateauFactor} after this many
   *     evaluations without improvement (0: never)
   * @param minRateScale the learning rate's factor stays at least this
   */
  public record Rules(boolean higherIsBetter, double minDelta, int patience, int plateauPatience,
      double plateauFactor, double minRateScale) {}

  /**
   * The selection after an evaluation of {@code value} at position ({@code epoch},
   * {@code round}). A value that is not a finite number never improves.
   */
  public Selection after(Rules rules, double value, int epoch, int round) {
    boolean improved = Double.isFinite(value) && (Double.isNaN(best) || (rules.higherIsBetter()
        ? value > best + rules.minDelta() : value < best - rules.minDelta()));
    if (improved) {
      return new Selection(value, epoch, round, 0, 0, rateScale, false);
    }
    int plateau = sincePlateau + 1;
    double scale = rateScale;
    if (rules.plateauPatience() > 0 && plateau >= rules.plateauPatience()) {
      scale = Math.max(rules.minRateScale(), rateScale * rules.plateauFactor());
      plateau = 0;
    }
    int since = sinceBest + 1;
    return new Selection(best, bestEpoch, bestRound, since, plateau, scale,
        rules.patience() > 0 && since >= rules.patience());
  }

  /** Whether an evaluation has been judged yet. */
  public boolean started() {
    return !Double.isNaN(best);
  }

  /** As a checkpoint header stores it (ordered: the same state gives the same bytes). */
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("best", best);
    f.put("bestEpoch", bestEpoch);
    f.put("bestRound", bestRound);
    f.put("sinceBest", sinceBest);
    f.put("sincePlateau", sincePlateau);
    f.put("rateScale", rateScale);
    f.put("stop", stop);
    return f;
  }

  /** The inverse of {@link #fields}; null (a file without one) is {@link #INITIAL}. */
  public static Selection fromFields(Map<String, Object> f) {
    if (f == null) {
      return INITIAL;
    }
    return new Selection(((Number) f.get("best")).doubleValue(), (Integer) f.get("bestEpoch"),
        (Integer) f.get("bestRound"), (Integer) f.get("sinceBest"),
        (Integer) f.get("sincePlateau"), ((Number) f.get("rateScale")).doubleValue(),
        (Boolean) f.get("stop"));
  }
}
