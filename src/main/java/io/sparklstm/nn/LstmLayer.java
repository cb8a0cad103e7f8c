package io.sparklstm.nn;

/**
 * One LSTM layer over a window: forward with stored activations, then backward through time.
 *
 * <pre>
 *   z_t = x_t W_x + h_{t-1} W_h + b          [B x 4H], gate blocks i, f, g, o
 *   i, f, o = sigmoid(z_i, z_f, z_o); g = tanh(z_g)
 *   c_t = f * c_{t-1} + i * g;  h_t = o * tanh(c_t)
 *   padded step: h_t = h_{t-1}, c_t = c_{t-1}
 * </pre>
 *
 * A reverse layer (the backward direction of a bidirectional layer) runs the same recurrence from
 * the window's last step to its first, so with padded steps passing the state through, each
 * sequence starts at its last real step. With recurrent dropout, {@code h_{t-1} W_h} becomes
 * {@code (h_{t-1} * m) W_h} with one mask m per sequence for the whole window.
 *
 * <p>The input projection of all T steps is one GEMM before the recurrence (or, for token input, a
 * row copy of W_x), so the loop over time does only {@code h W_h} and the gate math. All buffers
 * are sized once for the largest window; rows are time-major ({@code t * B + b}).
 */
final class LstmLayer {
  private final int in;
  private final int hidden;
  private final int gates;
  private final boolean tokenInput;
  private final boolean reverse;
  /** Recurrent dropout probability; its buffers are null when it is 0. */
  private final double recurrentDrop;
  /** [B x H]: the recurrent dropout mask of the window, per sequence. */
  private final Vec recurrentMask;
  /** [T*B x H]: h_{t-1} * mask for each step, what W_h multiplied. */
  private final Vec maskedH;
  /** [B x H]: dz_t W_h^T before the mask. */
  private final Vec maskedDh;
  /** Whether the last forward applied the recurrent mask. */
  private boolean masked;
  private final ParamLayout.Tensor wx;
  private final ParamLayout.Tensor wh;
  private final ParamLayout.Tensor bias;
  /**
   * Float buffers with the vector module present: the gate math runs a vector at a time (16
   * lanes with AVX-512, 8 with AVX2).
   */
  private final boolean simd;
  /**
   * Whether the per-step products go through {@link RecurrentGemm} (float, AVX-512 or AVX2, H a
   * multiple of its panel) rather than OpenBLAS; then a step's rows can also be split between
   * threads.
   */
  private final boolean fastRecurrence;
  /** W_h and W_h^T in {@link RecurrentGemm}'s panels, packed once a window; null until used. */
  private float[] packedWh;
  private float[] packedWhT;
  /** {@link RecurrentGemm}'s working rows, one array for each share of a split batch. */
  private final float[][] scratch = new float[2][];
  /** {@link SimdKernels}' working row, one for each share of a split batch. */
  private final float[][] rowWork = new float[2][];
  private final int maxBatch;

  /** [T*B x 4H]: pre-activations, then activations; after backward, dL/dz. */
  final Vec z;
  /**
   * [(T+1)*B x H]: block 0 holds h_0 (the initial state), block t+1 holds h after step t; for a
   * reverse layer block T holds the initial state and block t h after step t.
   */
  final Vec h;
  /** [(T+1)*B x H]: the same for c. */
  final Vec c;
  /** [T*B x H]: tanh(c_t), kept for backward. */
  private final Vec tanhC;
  /** [T*B x H]: dL/dh_t arriving from above (the head or the next layer's input gradient). */
  final Vec dhAbove;
  /** [B x H]: running dL/dh and dL/dc; before backward the caller seeds dL/dh_T in dh. */
  Vec dh;
  private Vec dhPrev;
  final Vec dc;

  LstmLayer(ParamLayout layout, int index, boolean reverse, int in, int hidden,
      boolean tokenInput, double recurrentDrop, Precision precision, int maxRows, int maxBatch) {
    this(layout, ParamLayout.layerName(index, reverse), reverse, in, hidden, tokenInput,
        recurrentDrop, precision, maxRows, maxBatch);
  }

  /** A layer whose tensors are {@code name.wx}, {@code name.wh}, {@code name.b}. */
  LstmLayer(ParamLayout layout, String name, boolean reverse, int in, int hidden,
      boolean tokenInput, double recurrentDrop, Precision precision, int maxRows, int maxBatch) {
    this.in = in;
    this.hidden = hidden;
    this.gates = 4 * hidden;
    this.tokenInput = tokenInput;
    this.reverse = reverse;
    this.wx = layout.get(name + ".wx");
    this.wh = layout.get(name + ".wh");
    this.bias = layout.get(name + ".b");
    this.recurrentDrop = recurrentDrop;
    boolean drop = recurrentDrop > 0;
    this.recurrentMask = drop ? Vec.allocate(precision, maxBatch * hidden) : null;
    this.maskedH = drop ? Vec.allocate(precision, maxRows * hidden) : null;
    this.maskedDh = drop ? Vec.allocate(precision, maxBatch * hidden) : null;
    this.z = Vec.allocate(precision, maxRows * gates);
    this.h = Vec.allocate(precision, (maxRows + maxBatch) * hidden);
    this.c = Vec.allocate(precision, (maxRows + maxBatch) * hidden);
    this.tanhC = Vec.allocate(precision, maxRows * hidden);
    this.dhAbove = Vec.allocate(precision, maxRows * hidden);
    this.dh = Vec.allocate(precision, maxBatch * hidden);
    this.dhPrev = Vec.allocate(precision, maxBatch * hidden);
    this.dc = Vec.allocate(precision, maxBatch * hidden);
    this.simd = Simd.ENABLED && precision == Precision.FLOAT;
    this.maxBatch = maxBatch;
    this.fastRecurrence = simd && RecurrentGemm.USABLE && hidden % RecurrentGemm.PANEL == 0;
  }

  /**
   * Windows shorter than this multiply through OpenBLAS: packing W_h costs about what a few
   * steps gain, and generating or decoding runs one step a call (packing for each, a 2 x 256
   * character model generated a character in 428 us instead of 100).
   */
  static final int PACK_FROM_STEPS = 4;

  /**
   * W_h (forward: {@code h W_h}) or W_h^T ({@code transposed}, backward: {@code dz W_h^T}) packed
   * for {@link RecurrentGemm}, or null to multiply through OpenBLAS.
   */
  private float[] panels(Vec p, boolean transposed, int steps) {
    if (!fastRecurrence || steps < PACK_FROM_STEPS) {
      return null;
    }
    float[] out = transposed ? packedWhT : packedWh;
    if (out == null) {
      out = new float[hidden * gates];
      if (transposed) {
        packedWhT = out;
      } else {
        packedWh = out;
      }
    }
    RecurrentGemm.pack(p, wh.offset(), gates, transposed ? gates : hidden,
        transposed ? hidden : gates, transposed, out);
    return out;
  }

  /** The working array of the share of the batch that starts at row b0. */
  private float[] scratch(int b0) {
    return ofShare(scratch, b0, maxBatch * (hidden + 2 * gates)); // m x (2k + n), k = 4H at most
  }

  /** The gate kernels' working row of the share of the batch that starts at row b0. */
  private float[] rowWork(int b0) {
    return ofShare(rowWork, b0, SimdKernels.forwardWork(hidden));
  }

  /**
   * The array of {@code size} floats that the share of a split batch starting at row b0 works
   * in (allocated on first use; the two shares never share one, as they run at once).
   */
  private static float[] ofShare(float[][] perShare, int b0, int size) {
    int share = b0 == 0 ? 0 : 1;
    if (perShare[share] == null) {
      perShare[share] = new float[size];
    }
    return perShare[share];
  }

  /** Elements the constructor allocates, for {@link LstmNetwork#bytesNeeded}. */
  static double elements(int hidden, double recurrentDrop, double rows, double batch) {
    double h = hidden;
    double dropout = recurrentDrop > 0 ? rows * h + 2 * batch * h : 0;
    return rows * 4 * h + 2 * (rows + batch) * h + 2 * rows * h + 3 * batch * h + dropout;
  }

  /** Block of h (and c) that step t reads: the previous step's, or the initial state. */
  private int prevBlock(int t) {
    return reverse ? t + 1 : t;
  }

  /** Offset in {@link #h} of the state after step 0's row 0: the layer's per-step outputs. */
  int outputOffset(int bsz) {
    return reverse ? 0 : bsz * hidden;
  }

  /** Offset in {@link #h} of the initial state of a {@code steps}-step window. */
  int initialOffset(int bsz, int steps) {
    return reverse ? steps * bsz * hidden : 0;
  }

  /** Offset in {@link #h} of the state the window ends in (after its last step in time order). */
  int finalOffset(int bsz, int steps) {
    return reverse ? 0 : steps * bsz * hidden;
  }

  /**
   * Runs the first {@code steps} steps of the window. The initial state must already be at
   * {@link #initialOffset} of {@link #h} and {@link #c}.
   *
   * @param tokens token ids [T*B] when this layer reads tokens, else null
   * @param tokenScale [T*B] input dropout multipliers of token rows, or null for none
   * @param x dense input rows [T*B x in] starting at {@code xOffset}, when not reading tokens
   * @param masks draws the recurrent dropout mask in training; null: no dropout
   */
  void forward(Vec p, int[] tokens, Vec tokenScale, Vec x, int xOffset, Batch batch, int steps,
      Rng masks) {
    int bsz = batch.batch();
    int rows = steps * bsz;
    int hs = hidden;
    int g = gates;
    for (int r = 0; r < rows; r++) {
      if (tokenInput && tokenScale == null) { // the token's row of W_x plus the bias
        p.copyTo(wx.offset() + tokens[r] * g, z, r * g, g);
        z.addFrom(p, bias.offset(), r * g, g);
      } else if (tokenInput) {
        int row = wx.offset() + tokens[r] * g;
        double scale = tokenScale.get(r);
        for (int j = 0; j < g; j++) {
          z.set(r * g + j, p.get(row + j) * scale + p.get(bias.offset() + j));
        }
      } else {
        p.copyTo(bias.offset(), z, r * g, g);
      }
    }
    if (!tokenInput) {
      Blas.gemm(false, false, rows, g, in, 1, x, xOffset, in, p, wx.offset(), g, 1, z, 0, g);
    }
    masked = masks != null && recurrentDrop > 0;
    if (masked) {
      Dropout.draw(recurrentMask, 0, bsz * hs, recurrentDrop, masks);
    }
    float[] panels = panels(p, false, steps);
    RowSplit.run(panels != null, bsz, (b0, b1) -> forwardRows(p, panels, batch, steps, b0, b1));
  }

  /**
   * The recurrence of sequences [b0, b1) of the batch: they depend on no other row, so two
   * threads can each take a share.
   */
  private void forwardRows(Vec p, float[] panels, Batch batch, int steps, int b0,
      int b1) {
    int bsz = batch.batch();
    int hs = hidden;
    int g = gates;
    float[] work = simd ? rowWork(b0) : null;
    for (int i = 0; i < steps; i++) {
      int t = reverse ? steps - 1 - i : i;
      int prev = prevBlock(t) * bsz * hs;
      int next = (reverse ? t : t + 1) * bsz * hs;
      if (masked) {
        h.copyTo(prev + b0 * hs, maskedH, (t * bsz + b0) * hs, (b1 - b0) * hs);
        Dropout.apply(maskedH, (t * bsz + b0) * hs, recurrentMask, b0 * hs, (b1 - b0) * hs);
      }
      Vec a = masked ? maskedH : h;
      int aOffset = masked ? (t * bsz + b0) * hs : prev + b0 * hs;
      if (panels != null) {
        RecurrentGemm.multiplyAdd(b1 - b0, g, hs, a, aOffset, panels, z, (t * bsz + b0) * g,
            scratch(b0));
      } else {
        Blas.gemm(false, false, b1 - b0, g, hs, 1, a, aOffset, hs, p, wh.offset(), g, 1, z,
            (t * bsz + b0) * g, g);
      }
      for (int b = b0; b < b1; b++) {
        int r = t * bsz + b;
        int hp = prev + b * hs;
        int hn = next + b * hs;
        if (!batch.isReal(r)) {
          h.copyTo(hp, h, hn, hs);
          c.copyTo(hp, c, hn, hs);
          continue;
        }
        int zr = r * g;
        int done = 0;
        if (simd) {
          SimdKernels.forwardRow(z, zr, hs, c, hp, hn, tanhC, r * hs, h, hn, work);
          done = SimdKernels.bound(hs);
        }
        for (int j = done; j < hs; j++) {
          double ig = Activations.sigmoid(z.get(zr + j));
          double fg = Activations.sigmoid(z.get(zr + hs + j));
          double gg = Activations.tanh(z.get(zr + 2 * hs + j));
          double og = Activations.sigmoid(z.get(zr + 3 * hs + j));
          z.set(zr + j, ig);
          z.set(zr + hs + j, fg);
          z.set(zr + 2 * hs + j, gg);
          z.set(zr + 3 * hs + j, og);
          double cn = fg * c.get(hp + j) + ig * gg;
          double tc = Activations.tanh(cn);
          c.set(hn + j, cn);
          tanhC.set(r * hs + j, tc);
          h.set(hn + j, og * tc);
        }
      }
    }
  }

  /**
   * Backpropagates through the window. On entry {@link #dh} holds dL/dh_T and {@link #dc} is
   * zero or dL/dc_T; on exit they hold dL/dh_0 and dL/dc_0 (T and 0 in the layer's own time
   * order). Adds into the gradient vector {@code grad}, and writes dL/dx into {@code dx} (same
   * row layout as x) when it is not null, or adds it there with {@code addDx} (the second
   * direction of a bidirectional layer).
   *
   * @param tokenScale the {@code tokenScale} of the forward pass
   * @param useAbove whether {@link #dhAbove} carries gradient (false for a last-step head on the
   *     top layer, where all gradient enters through dh_T)
   */
  void backward(Vec p, Vec grad, int[] tokens, Vec tokenScale, Vec x, int xOffset, Vec dx,
      int dxOffset, boolean addDx, Batch batch, int steps, boolean useAbove) {
    int bsz = batch.batch();
    int rows = steps * bsz;
    int hs = hidden;
    int g = gates;
    float[] panels = panels(p, true, steps);
    RowSplit.run(panels != null, bsz,
        (b0, b1) -> backwardRows(p, panels, batch, steps, useAbove, b0, b1));
    if (steps % 2 == 1) { // each share swapped its own dh and dhPrev once a step
      Vec swap = dh;
      dh = dhPrev;
      dhPrev = swap;
    }
    // Weight gradients over the whole window at once: K = T*B makes these large, fast GEMMs.
    int prevs = masked ? 0 : prevBlock(0) * bsz * hs; // row t*B+b: what step t multiplied by W_h
    Blas.gemm(true, false, hs, g, rows, 1, masked ? maskedH : h, prevs, hs, z, 0, g, 1, grad,
        wh.offset(), g);
    for (int r = 0; r < rows; r++) {
      grad.addFrom(z, r * g, bias.offset(), g);
    }
    if (tokenInput) {
      for (int r = 0; r < rows; r++) {
        int row = wx.offset() + tokens[r] * g;
        if (tokenScale == null) {
          grad.addFrom(z, r * g, row, g);
        } else {
          for (int j = 0; j < g; j++) {
            grad.add(row + j, z.get(r * g + j) * tokenScale.get(r));
          }
        }
      }
    } else {
      Blas.gemm(true, false, in, g, rows, 1, x, xOffset, in, z, 0, g, 1, grad, wx.offset(), g);
      if (dx != null) {
        Blas.gemm(false, true, rows, in, g, 1, z, 0, g, p, wx.offset(), g, addDx ? 1 : 0, dx,
            dxOffset, in);
      }
    }
  }

  /** The backward recurrence of sequences [b0, b1), as {@link #forwardRows}. */
  private void backwardRows(Vec p, float[] panels, Batch batch, int steps,
      boolean useAbove, int b0, int b1) {
    int bsz = batch.batch();
    int hs = hidden;
    int g = gates;
    Vec dh = this.dh;
    Vec dhPrev = this.dhPrev;
    for (int i = steps - 1; i >= 0; i--) {
      int t = reverse ? steps - 1 - i : i;
      for (int b = b0; b < b1; b++) {
        int r = t * bsz + b;
        int zr = r * g;
        int s = b * hs;
        if (useAbove) {
          dh.addFrom(dhAbove, r * hs, s, hs);
        }
        if (!batch.isReal(r)) {
          z.fill(zr, g, 0);
          dh.copyTo(s, dhPrev, s, hs);
          continue;
        }
        int cp = prevBlock(t) * bsz * hs + s;
        int done = 0;
        if (simd) {
          SimdKernels.backwardRow(z.bytes(), zr, hs, tanhC.bytes(), r * hs, dh.bytes(),
              dc.bytes(), s, c.bytes(), cp, dhPrev.bytes());
          done = SimdKernels.bound(hs);
        }
        for (int j = done; j < hs; j++) {
          double ig = z.get(zr + j);
          double fg = z.get(zr + hs + j);
          double gg = z.get(zr + 2 * hs + j);
          double og = z.get(zr + 3 * hs + j);
          double tc = tanhC.get(r * hs + j);
          double dhv = dh.get(s + j);
          double dcv = dc.get(s + j) + dhv * og * (1 - tc * tc);
          z.set(zr + j, dcv * gg * ig * (1 - ig));
          z.set(zr + hs + j, dcv * c.get(cp + j) * fg * (1 - fg));
          z.set(zr + 2 * hs + j, dcv * ig * (1 - gg * gg));
          z.set(zr + 3 * hs + j, dhv * tc * og * (1 - og));
          dc.set(s + j, dcv * fg);
          dhPrev.set(s + j, 0);
        }
      }
      // dh_{t-1} = dz_t W_h^T (+ the pass-through of padded rows already in dhPrev), the product
      // times the recurrent mask when there is one (padded rows have dz = 0: they add nothing)
      int n = (b1 - b0) * hs;
      Vec product = masked ? maskedDh : dhPrev;
      if (masked) {
        maskedDh.fill(b0 * hs, n, 0);
      }
      if (panels != null) {
        RecurrentGemm.multiplyAdd(b1 - b0, hs, g, z, (t * bsz + b0) * g, panels, product,
            b0 * hs, scratch(b0));
      } else {
        Blas.gemm(false, true, b1 - b0, hs, g, 1, z, (t * bsz + b0) * g, g, p, wh.offset(), g, 1,
            product, b0 * hs, hs);
      }
      if (masked) {
        Dropout.apply(maskedDh, b0 * hs, recurrentMask, b0 * hs, n);
        dhPrev.addFrom(maskedDh, b0 * hs, b0 * hs, n);
      }
      Vec swap = dh;
      dh = dhPrev;
      dhPrev = swap;
    }
  }
}
