package io.sparklstm.ml.param;

import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * What a training job does with its held-out evaluations (the jobs only, for now): keep the
 * best model, stop early, reduce the learning rate on a plateau. All off by default.
 */
public interface SelectionParams extends Params {
  Setting.Ints EVAL_EVERY_ROUNDS = Setting.integer("evalEveryRounds", "train.eval.every.rounds",
      0, 0, 1_000_000, "also evaluate the held-out data, with a checkpoint, every N rounds "
          + "(0: after each epoch only, as always)");
  Setting.Flags BEST_MODEL = Setting.flag("bestModel", "train.best.model", false,
      "the run's model (DIR/model) is the one of the best held-out evaluation (by "
          + "train.early.stop.metric), not the last; the last stays in the checkpoints");
  Setting.Texts EARLY_STOP_METRIC = Setting.oneOf("earlyStopMetric", "train.early.stop.metric",
      "loss", List.of("loss", "accuracy"), "the held-out figure that train.best.model, "
          + "train.early.stop.patience and optim.plateau.patience judge: the mean loss (lower "
          + "is better; any task) or the accuracy (higher is better; a classifier's usual aim)");
  Setting.Ints EARLY_STOP_PATIENCE = Setting.integer("earlyStopPatience",
      "train.early.stop.patience", 0, 0, 1_000_000, "stop after this many held-out evaluations "
          + "in a row without improvement (0: never)");
  Setting.Numbers EARLY_STOP_MIN_DELTA = Setting.number("earlyStopMinDelta",
      "train.early.stop.min.delta", 0, 0, 1e9, "an evaluation improves only if it beats the "
          + "best so far by more than this");
  Setting.Ints PLATEAU_PATIENCE = Setting.integer("plateauPatience", "optim.plateau.patience",
      0, 0, 1_000_000, "multiply the learning rate by optim.plateau.factor after this many "
          + "held-out evaluations without improvement (0: never)");
  Setting.Numbers PLATEAU_FACTOR = Setting.shrinkFactor("plateauFactor",
      "optim.plateau.factor", 0.5, "reduce-on-plateau: the learning rate's multiplier");
  Setting.Numbers PLATEAU_FLOOR = Setting.number("plateauFloor", "optim.plateau.floor", 0, 0,
      1e3, "reduce-on-plateau: the learning rate (optim.lr times the reductions) stays at "
          + "least this");

  default IntParam evalEveryRounds() {
    return EVAL_EVERY_ROUNDS.param(this);
  }

  default BooleanParam bestModel() {
    return BEST_MODEL.param(this);
  }

  default Param<String> earlyStopMetric() {
    return EARLY_STOP_METRIC.param(this);
  }

  default IntParam earlyStopPatience() {
    return EARLY_STOP_PATIENCE.param(this);
  }

  default DoubleParam earlyStopMinDelta() {
    return EARLY_STOP_MIN_DELTA.param(this);
  }

  default IntParam plateauPatience() {
    return PLATEAU_PATIENCE.param(this);
  }

  default DoubleParam plateauFactor() {
    return PLATEAU_FACTOR.param(this);
  }

  default DoubleParam plateauFloor() {
    return PLATEAU_FLOOR.param(this);
  }

  default int getEvalEveryRounds() {
    return EVAL_EVERY_ROUNDS.get(this);
  }

  default boolean getBestModel() {
    return BEST_MODEL.get(this);
  }

  default String getEarlyStopMetric() {
    return EARLY_STOP_METRIC.get(this);
  }

  default int getEarlyStopPatience() {
    return EARLY_STOP_PATIENCE.get(this);
  }

  default double getEarlyStopMinDelta() {
    return EARLY_STOP_MIN_DELTA.get(this);
  }

  default int getPlateauPatience() {
    return PLATEAU_PATIENCE.get(this);
  }

  default double getPlateauFactor() {
    return PLATEAU_FACTOR.get(this);
  }

  default double getPlateauFloor() {
    return PLATEAU_FLOOR.get(this);
  }
}
