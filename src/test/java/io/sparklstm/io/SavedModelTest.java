package io.sparklstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklstm.data.Tokenizer;
import io.sparklstm.data.Vocabulary;
import io.sparklstm.nn.Dropout;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.ParamLayout;
import io.sparklstm.train.ModelSnapshot;
import io.sparklstm.train.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saved models carry their class names, and a header that does not fit the shape is refused. */
public class SavedModelTest {
  static final ModelSpec CLASSIFIER = new ModelSpec(InputKind.EMBEDDING, 4, 3, 5, 1,
      HeadKind.LAST_STEP, 3);
  static final Vocabulary THREE_TOKENS = new Vocabulary(true, List.of("a", "b", "c"));

  @TempDir
  Path dir;

  /**
   * A model of {@code spec} with zero parameters and a valid configuration (the defaults: a
   * language model of text), made through the writer API as any header edit would be.
   */
  public static SavedModel model(ModelSpec spec, Vocabulary vocab, List<String> classes) {
    int n = new ParamLayout(spec).size();
    TrainingState state = new TrainingState(0, 0, new ModelSnapshot(new float[n],
        new float[2 * n], 0, Map.of()), new double[n]); // Adam (the default): two moments
    return new SavedModel(Map.of("data.train", "corpus.txt"), spec, vocab, classes, state,
        Map.of(), null);
  }

  private SavedModel roundTrip(SavedModel m) throws IOException {
    String file = dir.resolve("m-" + System.nanoTime() + ".bin").toString();
    m.write(file, new Configuration());
    return SavedModel.read(file, new Configuration());
  }

  @Test
  void classNamesRoundTripAndOldFilesMeanIntegerIds() throws IOException {
    List<String> names = List.of("apple", "banana", "cherry");
    assertEquals(names, roundTrip(model(CLASSIFIER, THREE_TOKENS, names)).classes());
    // A file written before class names were stored: no "classes" in its header.
    assertEquals(List.of("0", "1", "2"), roundTrip(model(CLASSIFIER, THREE_TOKENS, null))
        .classes());
  }

  @Test
  void layerOptionsRoundTripAndOldFilesMeanNone() throws IOException {
    ModelSpec bi = CLASSIFIER.with(true, ModelSpec.Pooling.MAX, new Dropout(0.1, 0.2, 0.3));
    List<String> names = List.of("a", "b", "c");
    SavedModel back = roundTrip(model(bi, THREE_TOKENS, names));
    assertEquals(bi, back.spec());
    assertEquals(new ParamLayout(bi).size(), back.state().model().params().length);
    // A file written before these options existed: its shape names none of them.
    Path file = dir.resolve("old.bin");
    model(CLASSIFIER, THREE_TOKENS, names).write(file.toString(), new Configuration());
    ModelFile f = ModelFile.fromBytes(Files.readAllBytes(file), file.toString());
    @SuppressWarnings("unchecked")
    Map<String, Object> shape = (Map<String, Object>) f.header().get("spec");
    for (String key : List.of("bidirectional", "pooling", "dropoutInput", "dropoutRecurrent",
        "dropoutOutput")) {
      assertTrue(shape.remove(key) != null, key);
    }
    Files.write(file, f.toBytes());
    assertEquals(CLASSIFIER, SavedModel.read(file.toString(), new Configuration()).spec());
  }

  @Test
  void aVocabularyOrClassesThatDoNotFitTheShapeAreRefused() throws IOException {
    ModelSpec lm = ModelSpec.languageModel(6, 4, 1); // 6 tokens declared, 4 (3 + <unk>) held
    IOException e = assertThrows(IOException.class, () -> roundTrip(model(lm, THREE_TOKENS,
        null)));
    assertTrue(e.getMessage().contains("declares a vocabulary of 6 tokens in its shape")
        && e.getMessage().endsWith("but holds 4 tokens; expected the same number"),
        e.getMessage());
    e = assertThrows(IOException.class, () -> roundTrip(model(CLASSIFIER, THREE_TOKENS,
        List.of("apple", "banana"))));
    assertTrue(e.getMessage().endsWith("declares 3 classes but names 2 ([apple, banana])"
        + "; expected one distinct name per class"), e.getMessage());
    Path file = dir.resolve("lm.bin");
    model(lm, THREE_TOKENS, null).write(file.toString(), new Configuration());
    assertTrue(Files.exists(file), "the writer does not check; the reader must");
  }

  /**
   * A model file written by 2016d7b, before tokenizers were saved (a word-level classifier; the
   * ids below are what that build's vocabulary gave): it loads with the whitespace tokenizer
   * without lower-casing, encodes as it did, and written again gives the same bytes.
   */
  @Test
  void aModelFromBeforeTokenizersEncodesAsItDidAndKeepsItsBytes() throws IOException {
    Path old = Path.of("src/test/resources/models/word-classifier-2016d7b.bin");
    SavedModel m = SavedModel.read(old.toString(), new Configuration());
    Vocabulary v = m.vocabulary();
    assertEquals(Tokenizer.WHITESPACE, v.tokenizer());
    assertArrayEquals(new int[] {2, 4, 1}, v.encode("Hello world !"));
    assertArrayEquals(new int[] {3, 4}, v.encode("  hello\tworld  "));
    assertArrayEquals(new int[] {0}, v.encode("HELLO"));
    assertArrayEquals(new int[] {5, 0}, v.encode("Ünïcode ünïcode"));
    assertArrayEquals(new int[] {0}, v.encode("Hello\u00a0world"));
    assertArrayEquals(new int[] {2}, v.encode("\u2003Hello\u2003"));
    assertArrayEquals(new int[] {0}, v.encode("world!"));
    // 2016d7b encoded a blank text as [0]; now it has no tokens, which every reader of
    // classification texts turns into the same single unknown token.
    assertArrayEquals(new int[] {}, v.encode("   "));
    Path again = dir.resolve("again.bin");
    m.write(again.toString(), new Configuration());
    assertArrayEquals(Files.readAllBytes(old), Files.readAllBytes(again));
  }

  @Test
  void aTokenizerIsSavedWithItsVocabulary() throws IOException {
    for (Tokenizer t : List.of(Tokenizer.of(Tokenizer.Kind.REGEX, "(?U)\\w+|[^\\w\\s]", true),
        Tokenizer.of(Tokenizer.Kind.CHARS, null, true), Tokenizer.WHITESPACE)) {
      Vocabulary v = new Vocabulary(t, List.of("a", "b", "c"));
      Vocabulary back = roundTrip(model(CLASSIFIER, v, List.of("x", "y", "z"))).vocabulary();
      assertEquals(t, back.tokenizer());
      assertEquals(v.tokens(), back.tokens());
    }
  }
}
