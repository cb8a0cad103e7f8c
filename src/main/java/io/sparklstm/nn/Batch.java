package io.sparklstm.nn;

/**
 * One window of B sequences over T steps, stored time-major: element (t, b) is at index
 * {@code t * batch + b}, so that step t of all sequences is one contiguous block of rows.
 *
 * <p>Arrays are owned by the caller and may be reused between steps; only the first
 * {@code steps * batch} entries are read.
 *
 * @param batch B, the number of sequences
 * @param steps T, the window length
 * @param tokens token ids [T*B] (token and embedding input), else null
 * @param features dense inputs [T*B*F] (dense input), else null
 * @param targets class ids: [T*B] for an every-step head, [B] for a last-step head
 * @param mask [T*B], true where a step is real and false where it is padding; null means all
 *     real. A padded step changes no state, adds no loss and no gradient.
 */
public record Batch(int batch, int steps, int[] tokens, float[] features, int[] targets,
    boolean[] mask) {

  public boolean isReal(int row) {
    return mask == null || mask[row];
  }
}
