package io.sparklstm.io;

import io.sparklstm.data.Tokenizer;
import io.sparklstm.data.Vocabulary;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ParamLayout;
import io.sparklstm.train.ModelSnapshot;
import io.sparklstm.train.Selection;
import io.sparklstm.train.TrainingState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;

/**
 * A model or checkpoint as the jobs see it: the configuration it was trained with, its shape,
 * its vocabulary (text models), its class names (classifiers: output k is class
 * {@code classes.get(k)}; "0" .. "K-1" for integer labels; taggers: their tags), where
 * training stood, provenance, and the training state; a checkpoint also carries the run's log
 * (metrics.jsonl's lines) up to its position, so that a resumed run continues exactly that log.
 * Stored as a {@link ModelFile}; loading checks that the arrays, the vocabulary and the class
 * names fit the declared shape. Files written before class names were stored load with integer
 * names.
 *
 * @param log the run log up to this checkpoint; null for a model
 */
public record SavedModel(Map<String, String> config, ModelSpec spec, Vocabulary vocabulary,
    List<String> classes, TrainingState state, Map<String, Object> provenance, List<String> log) {

  /** A tagger's tags (an every-step head with named outputs), else null. */
  public List<String> tags() {
    return spec.head() == ModelSpec.HeadKind.EVERY_STEP ? classes : null;
  }

  public void write(String path, Configuration conf) throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("config", config);
    header.put("spec", spec.fields());
    // Ordered maps only: the same model must give the same bytes (Map.of order varies by JVM).
    if (vocabulary != null) {
      Map<String, Object> vocab = new LinkedHashMap<>();
      vocab.put("words", vocabulary.words());
      vocab.putAll(vocabulary.tokenizer().fields());
      vocab.put("tokens", vocabulary.tokens());
      header.put("vocabulary", vocab);
    }
    if (classes != null) {
      header.put("classes", classes);
    }
    Map<String, Object> position = new LinkedHashMap<>();
    position.put("epoch", state.epoch());
    position.put("round", state.round());
    header.put("position", position);
    if (state.selection().started()) { // a run without held-out judgements writes as before
      header.put("selection", state.selection().fields());
    }
    header.put("provenance", provenance);
    if (log != null) {
      header.put("log", log);
    }
    ModelSnapshot m = state.model();
    byte[] bytes = new ModelFile(header, m.params(), m.optimizerState(), m.optimizerSteps(),
        state.velocity(), m.carriedStates()).toBytes();
    HadoopFiles.writeDurably(path, bytes, conf);
  }

  @SuppressWarnings("unchecked")
  public static SavedModel read(String path, Configuration conf) throws IOException {
    ModelFile f = ModelFile.fromBytes(HadoopFiles.read(path, conf), path);
    try {
      Map<String, Object> h = f.header();
      Map<String, String> config = (Map<String, String>) h.get("config");
      ModelSpec spec = ModelSpec.fromFields((Map<String, Object>) h.get("spec"));
      int expected = new ParamLayout(spec).size();
      if (f.params().length != expected || f.velocity().length != expected) {
        throw new IOException(path + " holds " + f.params().length + " parameters, but its "
            + "declared shape " + spec + " has " + expected);
      }
      Vocabulary vocab = null;
      Map<String, Object> v = (Map<String, Object>) h.get("vocabulary");
      if (v != null) {
        List<String> tokens = new ArrayList<>((List<String>) v.get("tokens"));
        tokens.remove(0);
        vocab = new Vocabulary(Tokenizer.fromFields((Boolean) v.get("words"), v), tokens);
      }
      List<String> classes = (List<String>) h.get("classes");
      if (classes == null && spec.head() == ModelSpec.HeadKind.LAST_STEP) {
        classes = IntStream.range(0, spec.outputSize()).mapToObj(Integer::toString).toList();
      }
      requireFits(path, spec, vocab, classes);
      Map<String, Object> pos = (Map<String, Object>) h.get("position");
      ModelSnapshot m = new ModelSnapshot(f.params(), f.optimizerState(), f.optimizerSteps(),
          f.carried());
      TrainingState state = new TrainingState((Integer) pos.get("epoch"),
          (Integer) pos.get("round"), m, f.velocity(),
          Selection.fromFields((Map<String, Object>) h.get("selection")));
      return new SavedModel(config, spec, vocab, classes, state,
          (Map<String, Object>) h.get("provenance"), (List<String>) h.get("log"));
    } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
      throw new IOException(path + " has a malformed header: " + e.getMessage(), e);
    }
  }

  /**
   * A vocabulary and class names that do not fit the shape would index outside the model. A
   * classifier's and a tagger's outputs are named classes (tags); a language model's (an
   * every-step head without class names) are its vocabulary.
   */
  private static void requireFits(String path, ModelSpec spec, Vocabulary vocab,
      List<String> classes) throws IOException {
    boolean named = spec.head() == ModelSpec.HeadKind.LAST_STEP || classes != null;
    List<Integer> vocabularySizes = new ArrayList<>(); // token input, token output
    if (spec.input() != ModelSpec.InputKind.DENSE) {
      vocabularySizes.add(spec.inputSize());
    }
    if (!named) {
      vocabularySizes.add(spec.outputSize());
    }
    for (int n : vocabularySizes) {
      if (vocab == null || vocab.size() != n) {
        throw new IOException(path + " declares a vocabulary of " + n + " tokens in its shape "
            + spec + " but holds " + (vocab == null ? "no vocabulary" : vocab.size()
            + " tokens") + "; expected the same number");
      }
    }
    if (named && (classes == null || classes.size() != spec.outputSize()
        || classes.stream().distinct().count() != classes.size())) {
      throw new IOException(path + " declares " + spec.outputSize() + " classes but names "
          + (classes == null ? "none" : classes.size() + " (" + classes + ")")
          + "; expected one distinct name per class");
    }
  }
}
