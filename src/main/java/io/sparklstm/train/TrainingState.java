package io.sparklstm.train;

/**
 * Where training stands between two rounds: the next round to run ({@code epoch}, {@code round}
 * within it), the model (with the carried TBPTT states inside an epoch), the block-momentum
 * velocity and what the held-out evaluations decided so far ({@link Selection}: the best model's
 * position, early stopping and the learning rate's factor). It is all a run needs to continue
 * bit-identically, and what a checkpoint stores.
 */
public record TrainingState(int epoch, int round, ModelSnapshot model, double[] velocity,
    Selection selection) {

  /** A state before any evaluation was judged. */
  public TrainingState(int epoch, int round, ModelSnapshot model, double[] velocity) {
    this(epoch, round, model, velocity, Selection.INITIAL);
  }

  public TrainingState with(Selection s) {
    return new TrainingState(epoch, round, model, velocity, s);
  }
}
