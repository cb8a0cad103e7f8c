package io.sparklstm.nn;

import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.ModelSpec.Pooling;

/**
 * A stack of LSTM layers with an input stage and a softmax head, its parameters in one flat
 * vector ({@link #params()}) and their gradient in another of the same layout
 * ({@link #grads()}).
 *
 * <p>Usage, the whole of truncated BPTT:
 * <pre>{@code
 * LstmNetwork net = new LstmNetwork(ModelSpec.languageModel(80, 256, 2), Precision.FLOAT, 32, 100);
 * net.initialize(seed);
 * RecurrentState state = RecurrentState.zeros(net, 32);
 * for (Batch window : windows) {
 *   net.forwardBackward(window, state, totals);  // state: in = h_0, c_0; out = h_T, c_T
 *   optimizer.step(net.params(), net.grads());
 * }
 * }</pre>
 *
 * <p>A model with dropout trains with {@link #forwardBackward(Batch, RecurrentState, LossTotals,
 * long)}, whose seed draws the step's masks; {@link #forward} never drops anything.
 *
 * <p>Every buffer is allocated in the constructor for windows up to {@code maxBatch x maxSteps};
 * a training step allocates no arrays. Not thread-safe: one network per thread.
 */
public final class LstmNetwork {
  private final ModelSpec spec;
  private final Precision precision;
  private final ParamLayout layout;
  private final int maxBatch;
  private final int maxSteps;
  private final Vec params;
  private final Vec grads;
  /** [layer][direction]: the forward direction, then the backward one when bidirectional. */
  private final LstmLayer[][] layers;
  /** [layer]: what layer l hands the next layer, or (the top layer) the head. */
  private final Junction[] outputs;
  private final SoftmaxHead head;
  /** [T*B x F or E]: dense features or looked-up embeddings, the first layer's x. */
  private final Vec inputs;
  /** [T*B x E]: dL/d(embedding rows), scattered into the embedding gradient. */
  private final Vec inputGrads;
  /** [T*B x F or E], [T*B] for tokens: the input dropout mask; null without input dropout. */
  private final Vec inputMask;
  /** Draws the dropout masks of a training pass, reset to the pass's seed (no object a step). */
  private final Rng maskRng = new Rng(0);
  /** Whether the last pass applied {@link #inputMask}. */
  private boolean inputMasked;

  public LstmNetwork(ModelSpec spec, Precision precision, int maxBatch, int maxSteps) {
    if (maxBatch < 1 || maxSteps < 1) {
      throw new IllegalArgumentException(
          "batch and window must be positive: " + maxBatch + " x " + maxSteps);
    }
    this.spec = spec;
    this.precision = precision;
    this.layout = new ParamLayout(spec);
    this.maxBatch = maxBatch;
    this.maxSteps = maxSteps;
    this.params = Vec.allocate(precision, layout.size());
    this.grads = Vec.allocate(precision, layout.size());
    int rows = maxBatch * maxSteps;
    int h = spec.hiddenSize();
    this.layers = new LstmLayer[spec.layers()][spec.directions()];
    this.outputs = new Junction[spec.layers()];
    for (int l = 0; l < layers.length; l++) {
      int in = l == 0 ? spec.firstLayerInputWidth() : spec.outputWidth();
      boolean tokens = l == 0 && spec.input() == InputKind.TOKENS;
      for (int d = 0; d < spec.directions(); d++) {
        layers[l][d] = new LstmLayer(layout, l, d == 1, in, h, tokens,
            spec.dropout().recurrent(), precision, rows, maxBatch);
      }
      outputs[l] = new Junction(layers[l][0], spec.bidirectional() ? layers[l][1] : null, h,
          pooling(spec, l), drop(spec, l), precision, maxBatch, maxSteps);
    }
    int headRows = spec.head() == HeadKind.EVERY_STEP ? rows : maxBatch;
    this.head = new SoftmaxHead(layout, spec.outputWidth(), spec.outputSize(), precision,
        headRows);
    int inputWidth = spec.input() == InputKind.TOKENS ? 0 : spec.firstLayerInputWidth();
    this.inputs = Vec.allocate(precision, rows * inputWidth);
    this.inputGrads = Vec.allocate(precision,
        spec.input() == InputKind.EMBEDDING ? rows * inputWidth : 0);
    this.inputMask = spec.dropout().input() > 0
        ? Vec.allocate(precision, rows * Math.max(1, inputWidth)) : null;
  }

  /** How layer l's outputs are read: a row per step, or pooled for a once-per-sequence head. */
  private static Pooling pooling(ModelSpec spec, int l) {
    return l < spec.layers() - 1 || spec.head() == HeadKind.EVERY_STEP ? null : spec.pooling();
  }

  /** Dropout on layer l's outputs: with the next layer's input dropout, or before the head. */
  private static double drop(ModelSpec spec, int l) {
    return l < spec.layers() - 1 ? spec.dropout().between() : spec.dropout().output();
  }

  /**
   * Bytes of native memory the constructor allocates for {@code spec} and windows up to
   * {@code maxBatch x maxSteps}: parameters, gradients and every activation buffer. Computed in
   * double (exact to 2^53, and no overflow for absurd sizes), so that a model too large to build
   * can be reported before anything is allocated; mirrors the constructor's allocations (a test
   * holds the two together).
   */
  public static double bytesNeeded(ModelSpec spec, Precision precision, int maxBatch,
      int maxSteps) {
    double rows = (double) maxBatch * maxSteps;
    double b = maxBatch;
    double layer = spec.directions()
        * LstmLayer.elements(spec.hiddenSize(), spec.dropout().recurrent(), rows, b);
    double junctions = 0;
    for (int l = 0; l < spec.layers(); l++) {
      junctions += Junction.elements(spec.outputWidth(), spec.bidirectional(), pooling(spec, l),
          drop(spec, l), b, maxSteps);
    }
    double headRows = spec.head() == HeadKind.EVERY_STEP ? rows : b;
    double inputs = spec.input() == InputKind.TOKENS ? 0 : rows * spec.firstLayerInputWidth();
    double inputGrads = spec.input() == InputKind.EMBEDDING ? inputs : 0;
    double inputMask = spec.dropout().input() > 0 ? Math.max(rows, inputs) : 0;
    double elements = 2.0 * ParamLayout.count(spec) + spec.layers() * layer + junctions
        + headRows * spec.outputSize() + inputs + inputGrads + inputMask;
    return elements * (precision == Precision.FLOAT ? Float.BYTES : Double.BYTES);
  }

  public ModelSpec spec() {
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

  public int maxSteps() {
    return maxSteps;
  }

  /** All parameters, laid out by {@link #layout()}. */
  public Vec params() {
    return params;
  }

  /** dL/dparams of the last {@link #forwardBackward}, same layout as {@link #params()}. */
  public Vec grads() {
    return grads;
  }

  /** Initialises every parameter from {@code seed} (see {@link Initializer}). */
  public void initialize(long seed) {
    Initializer.initialize(layout, spec.hiddenSize(), params, seed);
  }

  /** Forward only, as in evaluation (no dropout): adds the loss and advances {@code state}. */
  public void forward(Batch batch, RecurrentState state, LossTotals totals) {
    run(batch, state, totals, false, null);
  }

  /**
   * Forward only as in training: with the dropout masks that {@code maskSeed} draws, i.e. what
   * {@link #forwardBackward(Batch, RecurrentState, LossTotals, long)} computes before its
   * backward pass (for gradient checks).
   */
  public void forward(Batch batch, RecurrentState state, LossTotals totals, long maskSeed) {
    run(batch, state, totals, false, spec.dropout().masks(maskRng, maskSeed));
  }

  /**
   * {@link #forwardBackward(Batch, RecurrentState, LossTotals, long)} for a model without
   * dropout, which draws no masks.
   */
  public void forwardBackward(Batch batch, RecurrentState state, LossTotals totals) {
    spec.dropout().requireNone();
    run(batch, state, totals, true, null);
  }

  /**
   * Forward and backward over one window: adds the loss to {@code totals}, overwrites
   * {@link #grads()} with the gradient of this window's mean loss, and advances {@code state} to
   * the window's final (h, c). The gradient does not flow into the previous window (truncated
   * BPTT); {@link #initialStateGradientH} gives dL/dh_0 for whoever wants it. Dropout masks (if
   * the model has dropout) are drawn from {@code maskSeed} alone, see
   * {@link Dropout#stepSeed}.
   */
  public void forwardBackward(Batch batch, RecurrentState state, LossTotals totals,
      long maskSeed) {
    run(batch, state, totals, true, spec.dropout().masks(maskRng, maskSeed));
  }

  private void run(Batch batch, RecurrentState state, LossTotals totals, boolean backward,
      Rng masks) {
    check(batch, state);
    int bsz = batch.batch();
    int steps = activeSteps(batch);
    int rows = bsz * steps;
    int h = spec.hiddenSize();
    for (int l = 0; l < layers.length; l++) {
      state.h(l).copyTo(0, layers[l][0].h, 0, bsz * h);
      state.c(l).copyTo(0, layers[l][0].c, 0, bsz * h);
      if (spec.bidirectional()) { // the backward direction starts from zero after the window
        LstmLayer rev = layers[l][1];
        rev.h.fill(rev.initialOffset(bsz, steps), bsz * h, 0);
        rev.c.fill(rev.initialOffset(bsz, steps), bsz * h, 0);
      }
    }
    loadInputs(batch, rows, masks);
    Vec tokenScale = inputMasked && spec.input() == InputKind.TOKENS ? inputMask : null;
    for (int l = 0; l < layers.length; l++) {
      for (LstmLayer layer : layers[l]) {
        if (l == 0) {
          layer.forward(params, batch.tokens(), tokenScale, inputs, 0, batch, steps, masks);
        } else {
          Junction in = outputs[l - 1];
          layer.forward(params, null, null, in.x(), in.xOffset(), batch, steps, masks);
        }
      }
      outputs[l].forward(batch, steps, masks);
    }
    Junction top = outputs[layers.length - 1];
    boolean everyStep = spec.head() == HeadKind.EVERY_STEP;
    int headRows = everyStep ? rows : bsz;
    boolean[] headMask = everyStep ? batch.mask() : null;
    head.forward(params, top.x(), top.xOffset(), headRows, batch.targets(), headMask, totals);
    for (int l = 0; l < layers.length; l++) {
      layers[l][0].h.copyTo(steps * bsz * h, state.h(l), 0, bsz * h);
      layers[l][0].c.copyTo(steps * bsz * h, state.c(l), 0, bsz * h);
    }
    if (backward) {
      backward(batch, steps, headRows, headMask, tokenScale);
    }
  }

  private void backward(Batch batch, int steps, int headRows, boolean[] headMask,
      Vec tokenScale) {
    int bsz = batch.batch();
    int h = spec.hiddenSize();
    grads.fill(0);
    for (LstmLayer[] level : layers) {
      for (LstmLayer layer : level) {
        layer.dh.fill(0, bsz * h, 0);
        layer.dc.fill(0, bsz * h, 0);
      }
    }
    Junction top = outputs[layers.length - 1];
    head.backward(params, grads, top.x(), top.xOffset(), headRows, batch.targets(), headMask,
        top.dx(), 0);
    boolean embedding = spec.input() == InputKind.EMBEDDING;
    for (int l = layers.length - 1; l >= 0; l--) {
      boolean useAbove = outputs[l].backward(batch, steps);
      for (int d = 0; d < layers[l].length; d++) {
        boolean add = d > 0; // both directions read the same input: their dx add up
        if (l > 0) {
          Junction in = outputs[l - 1];
          layers[l][d].backward(params, grads, null, null, in.x(), in.xOffset(), in.dx(), 0, add,
              batch, steps, useAbove);
        } else {
          layers[0][d].backward(params, grads, batch.tokens(), tokenScale, inputs, 0,
              embedding ? inputGrads : null, 0, add, batch, steps, useAbove);
        }
      }
    }
    if (embedding) {
      if (inputMasked) {
        Dropout.apply(inputGrads, 0, inputMask, 0, bsz * steps * spec.embeddingSize());
      }
      scatterEmbeddingGradient(batch, steps);
    }
  }

  /**
   * Steps up to the last one in which any sequence is real. Trailing all-padding steps change
   * nothing, so they are not computed: this saves the work and keeps every sum (and so every
   * bit) independent of how much padding a batch carries.
   */
  static int activeSteps(Batch batch) {
    if (batch.mask() == null) {
      return batch.steps();
    }
    for (int t = batch.steps() - 1; t > 0; t--) {
      for (int b = 0; b < batch.batch(); b++) {
        if (batch.mask()[t * batch.batch() + b]) {
          return t + 1;
        }
      }
    }
    return 1;
  }

  /** Fills {@link #inputs} (dense and embedding input), then applies input dropout. */
  private void loadInputs(Batch batch, int rows, Rng masks) {
    switch (spec.input()) {
      case TOKENS -> { }
      case DENSE -> {
        float[] f = batch.features();
        for (int i = 0, n = rows * spec.inputSize(); i < n; i++) {
          inputs.set(i, f[i]);
        }
      }
      case EMBEDDING -> {
        ParamLayout.Tensor embed = layout.get("embed");
        int e = spec.embeddingSize();
        int[] tokens = batch.tokens();
        for (int r = 0; r < rows; r++) {
          params.copyTo(embed.offset() + tokens[r] * e, inputs, r * e, e);
        }
      }
    }
    inputMasked = masks != null && inputMask != null;
    if (inputMasked) {
      boolean tokens = spec.input() == InputKind.TOKENS;
      int n = tokens ? rows : rows * spec.firstLayerInputWidth();
      Dropout.draw(inputMask, 0, n, spec.dropout().input(), masks);
      if (!tokens) {
        Dropout.apply(inputs, 0, inputMask, 0, n);
      }
    }
  }

  private void scatterEmbeddingGradient(Batch batch, int steps) {
    ParamLayout.Tensor embed = layout.get("embed");
    int e = spec.embeddingSize();
    int[] tokens = batch.tokens();
    for (int r = 0, rows = batch.batch() * steps; r < rows; r++) {
      grads.addFrom(inputGrads, r * e, embed.offset() + tokens[r] * e, e);
    }
  }

  /** Direction {@code d} of layer {@code l}, for tests of this package. */
  LstmLayer layer(int l, int d) {
    return layers[l][d];
  }

  /** dL/dh_0 of layer {@code l} ([B x H]) after {@link #forwardBackward}. */
  public Vec initialStateGradientH(int l) {
    return layers[l][0].dh;
  }

  /** dL/dc_0 of layer {@code l} ([B x H]) after {@link #forwardBackward}. */
  public Vec initialStateGradientC(int l) {
    return layers[l][0].dc;
  }

  /** Softmax probability of class k at head row r of the last window (forward only). */
  public double probability(int row, int k) {
    return head.probability(row, k);
  }

  /** The most probable class at head row {@code row} of the last window (the first of ties). */
  public int mostProbable(int row) {
    int best = 0;
    for (int k = 1; k < spec.outputSize(); k++) {
      if (head.probability(row, k) > head.probability(row, best)) {
        best = k;
      }
    }
    return best;
  }

  /**
   * The logits (scores before the softmax) at head row {@code row} of the last window, in
   * double, into {@code out} (V values): for work in log space, where probabilities underflow.
   */
  public void logits(int row, double[] out) {
    Junction top = outputs[layers.length - 1];
    head.logits(params, top.x(), top.xOffset(), row, out);
  }

  private void check(Batch batch, RecurrentState state) {
    int bsz = batch.batch();
    int steps = batch.steps();
    if (bsz < 1 || bsz > maxBatch || steps < 1 || steps > maxSteps) {
      throw new IllegalArgumentException("window " + bsz + " x " + steps
          + " is outside this network's 1.." + maxBatch + " x 1.." + maxSteps);
    }
    if (state.batch() != bsz || state.layers() != spec.layers()) {
      throw new IllegalArgumentException("state is for " + state.batch() + " sequences and "
          + state.layers() + " layers, batch has " + bsz + " and the model " + spec.layers());
    }
    int rows = bsz * steps;
    boolean tokens = spec.input() != InputKind.DENSE;
    if (tokens) {
      int[] ids = batch.tokens();
      if (ids == null || ids.length < rows) {
        throw new IllegalArgumentException("batch needs " + rows + " token ids");
      }
      for (int r = 0; r < rows; r++) {
        if (ids[r] < 0 || ids[r] >= spec.inputSize()) {
          throw new IllegalArgumentException("token id " + ids[r] + " at row " + r
              + " is outside the vocabulary [0, " + spec.inputSize() + ")");
        }
      }
    } else if (batch.features() == null || batch.features().length < rows * spec.inputSize()) {
      throw new IllegalArgumentException(
          "batch needs " + rows * spec.inputSize() + " feature values");
    }
    int targetRows = spec.head() == HeadKind.EVERY_STEP ? rows : bsz;
    if (batch.targets() == null || batch.targets().length < targetRows) {
      throw new IllegalArgumentException("batch needs " + targetRows + " targets");
    }
    if (batch.mask() != null && batch.mask().length < rows) {
      throw new IllegalArgumentException("mask needs " + rows + " entries");
    }
  }
}
