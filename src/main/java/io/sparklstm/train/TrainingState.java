package io.sparklstm.train;

/**
 * Where training stands between two rounds: the next round to run ({@code epoch}, {@code round}
 * within it), the model (with the carried TBPTT states inside an epoch) and the block-momentum
 * velocity. It is all a run needs to continue bit-identically, and what a checkpoint stores.
 */
public record TrainingState(int epoch, int round, ModelSnapshot model, double[] velocity) {}
