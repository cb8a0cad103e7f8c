package io.sparklstm.nn;

/**
 * An LSTM encoder-decoder ({@link Seq2SeqSpec}) over one flat parameter vector, built from the
 * same {@link LstmLayer}s as {@link LstmNetwork}.
 *
 * <p>Training ({@link #forwardBackward}) is teacher forced and exact: the encoder runs over the
 * source window (padding passes the state through, so each sequence's final state is the one
 * after its last real step), decoder layer l starts from encoder layer l's final (h, c) (the sum
 * of both directions' when bidirectional), the decoder runs over its inputs, optional attention
 * reads the encoder's top states, and the softmax head takes the mean cross-entropy over the real
 * target steps. Backward runs through the head, the attention, the decoder, the bridge and the
 * encoder (BPTT through both).
 *
 * <p>Decoding ({@link #encode}, {@link #startDecoding}, {@link #step}, {@link #reorder}) runs
 * the encoder once and the decoder one step at a time for a set of rows (hypotheses), each
 * reading one source sentence, without dropout.
 *
 * <p>A model with dropout ({@link Seq2SeqSpec#dropout}) trains with masks drawn from a seed per
 * step ({@link Dropout#stepSeed}); evaluation and decoding use every unit. Not thread-safe.
 */
public final class Seq2SeqNetwork {
  private final Seq2SeqSpec spec;
  private final Precision precision;
  private final ParamLayout layout;
  private final int maxBatch;
  private final int maxSource;
  private final int maxTarget;
  private final Vec params;
  private final Vec grads;
  /** [layer][direction]. */
  private final LstmLayer[][] encoder;
  /** [layer]: what encoder layer l hands layer l+1 (the top layer hands on {@link #memory}). */
  private final Junction[] encoderOut;
  private final LstmLayer[] decoder;
  private final Junction[] decoderOut;
  /** Null without attention. */
  private final Attention attention;
  private final SoftmaxHead head;
  /** [Ts*B x H]: the encoder's top states (directions added), and their gradient. */
  private final Vec memory;
  private final Vec memoryGrad;
  /** Training masks: [Ts*B] and [Td*B] on the source and target tokens, [Ts*B x H] on the
   * memory; null when their dropout is 0. */
  private final Vec sourceMask;
  private final Vec targetMask;
  private final Vec memoryMask;
  /** Draws the dropout masks of a training pass, reset to the pass's seed. */
  private final Rng maskRng = new Rng(0);
  /** Whether the last pass applied the masks above. */
  private boolean masked;
  /** Decoding: the decoder's (h, c) per layer for each row, and a scratch copy for reordering. */
  private final Vec[] rowH;
  private final Vec[] rowC;
  private final Vec scratch;
  private final int[] stepTokens;

  // The current source batch (training window or decoding sentences).
  private Batch source;
  private int sourceSteps;
  private int[] sentenceOfRow;
  private int rows;

  public Seq2SeqNetwork(Seq2SeqSpec spec, Precision precision, int maxBatch, int maxSource,
      int maxTarget) {
    if (maxBatch < 1 || maxSource < 1 || maxTarget < 1) {
      throw new IllegalArgumentException("batch and lengths must be positive: " + maxBatch
          + " x " + maxSource + " / " + maxTarget);
    }
    this.spec = spec;
    this.precision = precision;
    this.layout = new ParamLayout(spec);
    this.maxBatch = maxBatch;
    this.maxSource = maxSource;
    this.maxTarget = maxTarget;
    this.params = Vec.allocate(precision, layout.size());
    this.grads = Vec.allocate(precision, layout.size());
    int h = spec.hiddenSize();
    int srcRows = maxBatch * maxSource;
    int tgtRows = maxBatch * maxTarget;
    int layers = spec.layers();
    Dropout drop = spec.dropout();
    this.encoder = new LstmLayer[layers][spec.directions()];
    this.encoderOut = new Junction[layers - 1];
    this.decoder = new LstmLayer[layers];
    this.decoderOut = new Junction[layers];
    for (int l = 0; l < layers; l++) {
      int in = l == 0 ? spec.sourceVocab() : spec.directions() * h;
      for (int d = 0; d < spec.directions(); d++) {
        encoder[l][d] = new LstmLayer(layout, ParamLayout.ENCODER + l + (d == 1 ? "_reverse" : ""),
            d == 1, in, h, l == 0, drop.recurrent(), precision, srcRows, maxBatch);
      }
      if (l < layers - 1) {
        encoderOut[l] = new Junction(encoder[l][0], spec.bidirectional() ? encoder[l][1] : null,
            h, null, drop.between(), precision, maxBatch, maxSource);
      }
      decoder[l] = new LstmLayer(layout, ParamLayout.DECODER + l, false,
          l == 0 ? spec.targetVocab() : h, h, l == 0, drop.recurrent(), precision, tgtRows,
          maxBatch);
      decoderOut[l] = new Junction(decoder[l], null, h, null,
          l < layers - 1 ? drop.between() : drop.output(), precision, maxBatch, maxTarget);
    }
    this.attention = spec.attention()
        ? new Attention(layout, h, precision, tgtRows, maxSource) : null;
    this.head = new SoftmaxHead(layout, h, spec.targetVocab(), precision, tgtRows);
    this.memory = Vec.allocate(precision, srcRows * h);
    this.memoryGrad = Vec.allocate(precision, srcRows * h);
    this.sourceMask = drop.input() > 0 ? Vec.allocate(precision, srcRows) : null;
    this.targetMask = drop.input() > 0 ? Vec.allocate(precision, tgtRows) : null;
    this.memoryMask = drop.output() > 0 && spec.attention()
        ? Vec.allocate(precision, srcRows * h) : null;
    this.rowH = new Vec[layers];
    this.rowC = new Vec[layers];
    for (int l = 0; l < layers; l++) {
      rowH[l] = Vec.allocate(precision, maxBatch * h);
      rowC[l] = Vec.allocate(precision, maxBatch * h);
    }
    this.scratch = Vec.allocate(precision, maxBatch * h);
    this.stepTokens = new int[maxBatch];
  }

  public Seq2SeqSpec spec() {
    return spec;
  }

  public Precision precision() {
    return precision;
  }

  public ParamLayout layout() {
    return layout;
  }

  public int maxBatch() {
    return maxBatch;
  }

  public int maxSource() {
    return maxSource;
  }

  public int maxTarget() {
    return maxTarget;
  }

  public Vec params() {
    return params;
  }

  /** dL/dparams of the last {@link #forwardBackward}. */
  public Vec grads() {
    return grads;
  }

  public void initialize(long seed) {
    Initializer.initialize(layout, spec.hiddenSize(), params, seed);
  }

  /** Teacher-forced loss of {@code batch}, added to {@code totals}; no gradient, no dropout. */
  public void forward(Seq2SeqBatch batch, LossTotals totals) {
    run(batch, totals, false, null);
  }

  /**
   * Forward only as in training: with the dropout masks {@code maskSeed} draws, i.e. what
   * {@link #forwardBackward(Seq2SeqBatch, LossTotals, long)} computes before its backward pass
   * (for gradient checks).
   */
  public void forward(Seq2SeqBatch batch, LossTotals totals, long maskSeed) {
    run(batch, totals, false, spec.dropout().masks(maskRng, maskSeed));
  }

  /** {@link #forwardBackward(Seq2SeqBatch, LossTotals, long)} for a model without dropout. */
  public void forwardBackward(Seq2SeqBatch batch, LossTotals totals) {
    spec.dropout().requireNone();
    run(batch, totals, true, null);
  }

  /**
   * Teacher-forced loss of {@code batch} and, into {@link #grads()} (overwritten), the gradient
   * of its mean over the real target steps; dropout masks (if any) drawn from {@code maskSeed}
   * alone ({@link Dropout#stepSeed}).
   */
  public void forwardBackward(Seq2SeqBatch batch, LossTotals totals, long maskSeed) {
    run(batch, totals, true, spec.dropout().masks(maskRng, maskSeed));
  }

  /** Softmax probability of class k at decoder row r of the last training window. */
  public double probability(int row, int k) {
    return head.probability(row, k);
  }

  private void run(Seq2SeqBatch pairs, LossTotals totals, boolean backward, Rng masks) {
    check(pairs);
    Batch target = pairs.targetWindow();
    int bsz = pairs.batch();
    int steps = LstmNetwork.activeSteps(target);
    masked = masks != null;
    runEncoder(pairs.sourceWindow(), masks);
    sentenceOfRow = null;
    int h = spec.hiddenSize();
    for (int l = 0; l < decoder.length; l++) {
      bridge(l, decoder[l].h, decoder[l].c, 0);
    }
    Vec targetScale = tokenMask(targetMask, steps * bsz, masks);
    for (int l = 0; l < decoder.length; l++) {
      forwardDecoderLayer(l, target, steps, targetScale, masks);
    }
    int n = steps * bsz;
    Junction top = decoderOut[decoder.length - 1];
    Vec headIn = top.x();
    int headOffset = top.xOffset();
    if (attention != null) {
      attention.forward(params, top.x(), top.xOffset(), n, target.mask(), memory());
      headIn = attention.out;
      headOffset = 0;
    }
    head.forward(params, headIn, headOffset, n, target.targets(), target.mask(), totals);
    if (!backward) {
      return;
    }
    grads.fill(0);
    for (LstmLayer layer : decoder) {
      layer.dh.fill(0, bsz * h, 0);
      layer.dc.fill(0, bsz * h, 0);
    }
    head.backward(params, grads, headIn, headOffset, n, target.targets(), target.mask(),
        attention != null ? attention.dOut : top.dx(), 0);
    if (attention != null) {
      memoryGrad.fill(0, sourceSteps * bsz * h, 0);
      attention.backward(params, grads, top.x(), top.xOffset(), n, target.mask(), memory(),
          top.dx(), memoryGrad);
    }
    for (int l = decoder.length - 1; l >= 0; l--) {
      boolean above = decoderOut[l].backward(target, steps);
      Junction below = l > 0 ? decoderOut[l - 1] : null;
      decoder[l].backward(params, grads, l == 0 ? target.tokens() : null,
          l == 0 ? targetScale : null,
          below == null ? null : below.x(), below == null ? 0 : below.xOffset(),
          below == null ? null : below.dx(), 0, false, target, steps, above);
    }
    backwardEncoder();
  }

  /**
   * Runs the encoder over {@code window} and fills {@link #memory} (with attention); in
   * training ({@code masks} not null) with dropout.
   */
  private void runEncoder(Batch window, Rng masks) {
    source = window;
    sourceSteps = LstmNetwork.activeSteps(window);
    int bsz = window.batch();
    int h = spec.hiddenSize();
    Vec sourceScale = tokenMask(sourceMask, sourceSteps * bsz, masks);
    for (int l = 0; l < encoder.length; l++) {
      for (LstmLayer layer : encoder[l]) {
        layer.h.fill(layer.initialOffset(bsz, sourceSteps), bsz * h, 0);
        layer.c.fill(layer.initialOffset(bsz, sourceSteps), bsz * h, 0);
        if (l == 0) {
          layer.forward(params, window.tokens(), sourceScale, null, 0, window, sourceSteps,
              masks);
        } else {
          Junction in = encoderOut[l - 1];
          layer.forward(params, null, null, in.x(), in.xOffset(), window, sourceSteps, masks);
        }
      }
      if (l < encoder.length - 1) {
        encoderOut[l].forward(window, sourceSteps, masks);
      }
    }
    if (attention != null) {
      int n = sourceSteps * bsz * h;
      LstmLayer[] top = encoder[encoder.length - 1];
      top[0].h.copyTo(top[0].outputOffset(bsz), memory, 0, n);
      if (top.length == 2) {
        memory.addFrom(top[1].h, top[1].outputOffset(bsz), 0, n);
      }
      if (masks != null && memoryMask != null) {
        Dropout.draw(memoryMask, 0, n, spec.dropout().output(), masks);
        Dropout.apply(memory, 0, memoryMask, 0, n);
      }
    }
  }

  /**
   * In training with input dropout, draws the per-token multipliers of {@code rows} token rows
   * into {@code mask} and returns it; else null (every token whole).
   */
  private Vec tokenMask(Vec mask, int rows, Rng masks) {
    if (masks == null || mask == null) {
      return null;
    }
    Dropout.draw(mask, 0, rows, spec.dropout().input(), masks);
    return mask;
  }

  /**
   * Writes the decoder's initial state for layer l, encoder layer l's final state (directions
   * added), into {@code h} and {@code c} at {@code offset}: row i reads sentence
   * {@code sentenceOfRow[i]}, or sentence i in training.
   */
  private void bridge(int l, Vec h, Vec c, int offset) {
    int hs = spec.hiddenSize();
    int bsz = source.batch();
    int n = sentenceOfRow == null ? bsz : rows;
    for (int i = 0; i < n; i++) {
      int s = sentenceOfRow == null ? i : sentenceOfRow[i];
      for (int d = 0; d < encoder[l].length; d++) {
        LstmLayer e = encoder[l][d];
        int from = e.finalOffset(bsz, sourceSteps) + s * hs;
        if (d == 0) {
          e.h.copyTo(from, h, offset + i * hs, hs);
          e.c.copyTo(from, c, offset + i * hs, hs);
        } else {
          h.addFrom(e.h, from, offset + i * hs, hs);
          c.addFrom(e.c, from, offset + i * hs, hs);
        }
      }
    }
  }

  private void forwardDecoderLayer(int l, Batch window, int steps, Vec tokenScale, Rng masks) {
    if (l == 0) {
      decoder[0].forward(params, window.tokens(), tokenScale, null, 0, window, steps, masks);
    } else {
      Junction in = decoderOut[l - 1];
      decoder[l].forward(params, null, null, in.x(), in.xOffset(), window, steps, masks);
    }
    decoderOut[l].forward(window, steps, masks);
  }

  private Attention.Memory memory() {
    return new Attention.Memory(memory, source.batch(), sourceSteps, source.mask(),
        sentenceOfRow);
  }

  /**
   * The encoder's backward pass: each layer's final state receives the decoder layer's dL/dh_0
   * and dL/dc_0 (both directions the same: they were added), the top layer's states the
   * attention's memory gradient.
   */
  private void backwardEncoder() {
    int bsz = source.batch();
    int h = spec.hiddenSize();
    int n = sourceSteps * bsz * h;
    for (int l = encoder.length - 1; l >= 0; l--) {
      boolean above;
      if (l == encoder.length - 1) {
        above = attention != null;
        if (above && masked && memoryMask != null) {
          Dropout.apply(memoryGrad, 0, memoryMask, 0, n);
        }
        for (LstmLayer e : encoder[l]) {
          if (above) {
            memoryGrad.copyTo(0, e.dhAbove, 0, n);
          }
        }
      } else {
        above = encoderOut[l].backward(source, sourceSteps);
      }
      for (int d = 0; d < encoder[l].length; d++) {
        LstmLayer e = encoder[l][d];
        decoder[l].dh.copyTo(0, e.dh, 0, bsz * h);
        decoder[l].dc.copyTo(0, e.dc, 0, bsz * h);
        Junction below = l > 0 ? encoderOut[l - 1] : null;
        e.backward(params, grads, l == 0 ? source.tokens() : null,
            l == 0 && masked ? sourceMask : null,
            below == null ? null : below.x(), below == null ? 0 : below.xOffset(),
            below == null ? null : below.dx(), 0, d > 0, source, sourceSteps, above);
      }
    }
  }

  /**
   * Decoding, first step: runs the encoder over the source sentences ({@code sources.length <=
   * maxBatch}, each 1..maxSource ids).
   */
  public void encode(int[][] sources) {
    int s = sources.length;
    int steps = 0;
    for (int[] src : sources) {
      steps = Math.max(steps, src.length);
    }
    if (s < 1 || s > maxBatch || steps > maxSource) {
      throw new IllegalArgumentException(s + " sentences of up to " + steps + " tokens: this"
          + " network decodes 1.." + maxBatch + " of up to " + maxSource);
    }
    int[] ids = new int[steps * s];
    boolean[] mask = new boolean[steps * s];
    for (int b = 0; b < s; b++) {
      if (sources[b].length == 0) {
        throw new IllegalArgumentException("source sentence " + b + " is empty");
      }
      for (int t = 0; t < sources[b].length; t++) {
        ids[t * s + b] = checkId(sources[b][t], spec.sourceVocab(), "source");
        mask[t * s + b] = true;
      }
    }
    runEncoder(new Batch(s, steps, ids, null, null, mask), null);
  }

  /**
   * Starts {@code sentence.length <= maxBatch} decoder rows, row i from the final encoder state
   * of sentence {@code sentence[i]} of the last {@link #encode}.
   */
  public void startDecoding(int[] sentence) {
    if (sentence.length < 1 || sentence.length > maxBatch) {
      throw new IllegalArgumentException("1.." + maxBatch + " decoder rows, not "
          + sentence.length);
    }
    for (int s : sentence) {
      if (s < 0 || s >= source.batch()) {
        throw new IllegalArgumentException("no encoded sentence " + s);
      }
    }
    sentenceOfRow = sentence.clone();
    rows = sentence.length;
    for (int l = 0; l < decoder.length; l++) {
      bridge(l, rowH[l], rowC[l], 0);
    }
  }

  /**
   * One decoder step for every row: row i reads {@code tokens[i]}; its logits (before the
   * softmax) go to {@code logits[i]} (V values each).
   */
  public void step(int[] tokens, double[][] logits) {
    int h = spec.hiddenSize();
    for (int i = 0; i < rows; i++) {
      stepTokens[i] = checkId(tokens[i], spec.targetVocab(), "target");
    }
    Batch window = new Batch(rows, 1, stepTokens, null, null, null);
    for (int l = 0; l < decoder.length; l++) {
      rowH[l].copyTo(0, decoder[l].h, 0, rows * h);
      rowC[l].copyTo(0, decoder[l].c, 0, rows * h);
      forwardDecoderLayer(l, window, 1, null, null);
      decoder[l].h.copyTo(rows * h, rowH[l], 0, rows * h);
      decoder[l].c.copyTo(rows * h, rowC[l], 0, rows * h);
    }
    Junction top = decoderOut[decoder.length - 1];
    Vec in = top.x();
    int offset = top.xOffset();
    if (attention != null) {
      attention.forward(params, in, offset, rows, null, memory());
      in = attention.out;
      offset = 0;
    }
    for (int i = 0; i < rows; i++) {
      head.logits(params, in, offset, i, logits[i]);
    }
  }

  /** Rows become copies of rows {@code parent[i]} (state and sentence), for beam search. */
  public void reorder(int[] parent) {
    int h = spec.hiddenSize();
    int[] sentences = new int[rows];
    for (int i = 0; i < rows; i++) {
      sentences[i] = sentenceOfRow[parent[i]];
    }
    sentenceOfRow = sentences;
    for (Vec[] state : new Vec[][] {rowH, rowC}) {
      for (Vec v : state) {
        for (int i = 0; i < rows; i++) {
          v.copyTo(parent[i] * h, scratch, i * h, h);
        }
        scratch.copyTo(0, v, 0, rows * h);
      }
    }
  }

  /** Attention weight of decoder row {@code row} on source step {@code j} after a step. */
  public double attentionWeight(int row, int j) {
    if (attention == null) {
      throw new IllegalStateException("this model has no attention");
    }
    return attention.weight(row, j);
  }

  private static int checkId(int id, int size, String side) {
    if (id < 0 || id >= size) {
      throw new IllegalArgumentException(side + " id " + id + " is outside [0, " + size + ")");
    }
    return id;
  }

  private void check(Seq2SeqBatch b) {
    if (b.batch() < 1 || b.batch() > maxBatch || b.sourceSteps() < 1
        || b.sourceSteps() > maxSource || b.targetSteps() < 1 || b.targetSteps() > maxTarget) {
      throw new IllegalArgumentException("batch " + b.batch() + " x " + b.sourceSteps() + " / "
          + b.targetSteps() + " is outside this network's 1.." + maxBatch + " x 1.." + maxSource
          + " / 1.." + maxTarget);
    }
    for (int r = 0; r < b.batch() * b.sourceSteps(); r++) {
      checkId(b.source()[r], spec.sourceVocab(), "source");
    }
    for (int r = 0; r < b.batch() * b.targetSteps(); r++) {
      checkId(b.input()[r], spec.targetVocab(), "target");
      checkId(b.targets()[r], spec.targetVocab(), "target");
    }
  }
}
