package io.sparklstm.cli;

import static io.sparklstm.ml.param.JobParams.VALIDATION_PATH;
import static io.sparklstm.ml.param.LanguageModelParams.VALIDATION_FRACTION;
import static io.sparklstm.ml.param.SelectionParams.BEST_MODEL;
import static io.sparklstm.ml.param.SelectionParams.EARLY_STOP_PATIENCE;
import static io.sparklstm.ml.param.SelectionParams.PLATEAU_PATIENCE;

import io.sparklstm.io.SavedModel;
import io.sparklstm.ml.param.JobSettings;
import io.sparklstm.train.HeldOut;
import io.sparklstm.train.RoundRecord;
import io.sparklstm.train.Selection;
import io.sparklstm.train.TrainingState;
import java.io.IOException;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * What {@code jobs/train} does with its held-out evaluations: when it evaluates (after every
 * epoch and, with {@code train.eval.every.rounds}, every N rounds of an epoch), how an evaluation
 * changes the run's {@link Selection} (best model, early stopping, reduce-on-plateau), and which
 * model the run keeps. Without those settings it only evaluates after every epoch, as always.
 */
final class HeldOutChoices {
  private final Selection.Rules rules; // null: evaluations decide nothing
  private final boolean keepBest;
  private final int everyRounds;
  private final String metric;

  private HeldOutChoices(Selection.Rules rules, boolean keepBest, int everyRounds,
      String metric) {
    this.rules = rules;
    this.keepBest = keepBest;
    this.everyRounds = everyRounds;
    this.metric = metric;
  }

  /** The choices {@code s} asks for; refused without held-out data to make them on. */
  static HeldOutChoices of(JobSettings s, boolean heldOutData) {
    String judging = judging(s);
    if (judging != null && !heldOutData) {
      throw new JobConfig.ConfigException(judging + " needs held-out data; set "
          + VALIDATION_PATH.confKey() + " (a language model: " + VALIDATION_FRACTION.confKey()
          + " > 0)");
    }
    boolean judges = judging != null;
    boolean accuracy = s.getEarlyStopMetric().equals("accuracy");
    Selection.Rules rules = !judges ? null : new Selection.Rules(accuracy,
        s.getEarlyStopMinDelta(), s.getEarlyStopPatience(), s.getPlateauPatience(),
        s.getPlateauFactor(), Math.min(1, s.getPlateauFloor() / s.getLearningRate()));
    return new HeldOutChoices(rules, s.getBestModel(), s.getEvalEveryRounds(),
        accuracy ? "accuracy" : "loss");
  }

  /** The first setting of {@code s} that asks evaluations to decide something, or null. */
  static String judging(JobSettings s) {
    return s.getBestModel() ? BEST_MODEL.confKey() + " = true"
        : s.getEarlyStopPatience() > 0 ? EARLY_STOP_PATIENCE.confKey() + " = "
        + s.getEarlyStopPatience() : s.getPlateauPatience() > 0 ? PLATEAU_PATIENCE.confKey()
        + " = " + s.getPlateauPatience() : null;
  }

  /**
   * Whether the held-out data is evaluated after {@code r}: at the end of every epoch, and every
   * N rounds counted from the epoch's start (a position, not a count of this process's rounds,
   * so that a resumed run evaluates where an undisturbed one does).
   */
  boolean evaluatesAfter(RoundRecord r) {
    return r.round() + 1 == r.rounds() || everyRounds > 0 && (r.round() + 1) % everyRounds == 0;
  }

  /**
   * {@code next} with the selection after held-out figures {@code h} of its model, logged and
   * printed; {@code next} itself when evaluations decide nothing.
   */
  TrainingState judge(HeldOut h, TrainingState next, RunLog log) {
    if (rules == null || h == null) {
      return next;
    }
    Selection before = next.selection();
    double value = rules.higherIsBetter() ? h.accuracy() : h.meanLoss();
    Selection after = before.after(rules, value, next.epoch(), next.round());
    String why = after.sinceBest() == 0 ? "best so far" : String.format(Locale.ROOT,
        "%d evaluation%s without improving on %s", after.sinceBest(),
        after.sinceBest() == 1 ? "" : "s", position(after.bestEpoch(), after.bestRound()));
    if (after.rateScale() != before.rateScale()) {
      why += String.format(Locale.ROOT, "; learning rate x%s from now on (plateau)",
          after.rateScale());
    }
    if (after.stop()) {
      why += "; stopping early (" + EARLY_STOP_PATIENCE.confKey() + " = " + rules.patience()
          + ")";
    }
    log.selection(metric, value, after, why);
    return next.with(after);
  }

  /**
   * The model the run keeps: the best evaluation's, read from its checkpoint (or {@code end}
   * itself), with train.best.model; else {@code end}.
   */
  TrainingState kept(TrainingState end, RunDirectory run, Configuration conf)
      throws IOException {
    Selection s = end.selection();
    if (!keepBest || !s.started()
        || s.bestEpoch() == end.epoch() && s.bestRound() == end.round()) {
      return end;
    }
    TrainingState best = SavedModel.read(run.checkpoint(s.bestEpoch(), s.bestRound()), conf)
        .state();
    String last = run.checkpoint(end);
    System.out.println("The run's model is its best held-out evaluation's: " + position(
        s.bestEpoch(), s.bestRound()) + ", held-out " + metric + " " + String.format(Locale.ROOT,
        "%.4f", s.best()) + (last.equals(run.latestCheckpoint()) ? " (the last model is in "
        + last + ")" : " (the last model, stopped by a budget inside an epoch, has no "
        + "checkpoint: --resume goes on from " + run.latestCheckpoint() + ")"));
    return best;
  }

  /** The evaluation after which training stood at (epoch, round), as people count. */
  static String position(int epoch, int round) {
    return round == 0 ? "epoch " + epoch : "epoch " + (epoch + 1) + ", round " + round;
  }
}
