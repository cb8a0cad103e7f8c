package io.sparklstm.train;

import java.io.Serializable;
import java.util.Map;

/**
 * What the driver broadcasts at the start of a round: the flat parameters, the optimizer state
 * (same layout, one block per moment) and update count, and, for language models averaged within
 * an epoch, the recurrent state each partition's streams carry into the round.
 */
public record ModelSnapshot(float[] params, float[] optimizerState, long optimizerSteps,
    Map<Integer, float[]> carriedStates) implements Serializable {}
