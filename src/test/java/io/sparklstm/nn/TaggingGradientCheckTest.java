package io.sparklstm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklstm.data.Example;
import io.sparklstm.data.PaddedBatcher;
import io.sparklstm.data.Sequences;
import io.sparklstm.nn.ModelSpec.HeadKind;
import io.sparklstm.nn.ModelSpec.InputKind;
import io.sparklstm.nn.ModelSpec.Pooling;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tagging head's gradient (a tag per real token, the every-step head over one or both
 * directions) against finite differences in double precision, on a minibatch the tagger's own
 * batcher packs from tagged sentences of ragged lengths: padded steps must add nothing.
 */
class TaggingGradientCheckTest {
  @ParameterizedTest(name = "bidirectional {0}")
  @ValueSource(booleans = {false, true})
  void taggingHeadMatchesFiniteDifferences(boolean bidirectional) {
    ModelSpec spec = new ModelSpec(InputKind.EMBEDDING, 6, 3, 4, 2, HeadKind.EVERY_STEP, 4)
        .with(bidirectional, Pooling.LAST, Dropout.NONE);
    List<Example> sentences = List.of(
        Example.ofTagged(new int[] {1, 2, 3, 4, 5}, new int[] {0, 1, 2, 3, 0}),
        Example.ofTagged(new int[] {5, 1}, new int[] {3, 2}),
        Example.ofTagged(new int[] {0, 4, 4, 2}, new int[] {1, 1, 0, 2}),
        Example.ofTagged(new int[] {3}, new int[] {2}));
    Batch batch = new PaddedBatcher(4, 5, 0, true).pack(Sequences.of(sentences),
        new int[] {0, 1, 2, 3}, 0, 4);
    int real = 0;
    for (int r = 0; r < batch.batch() * batch.steps(); r++) {
      real += batch.isReal(r) ? 1 : 0;
    }
    assertEquals(12, real, "ragged: 12 real steps of 20");
    GradientCheckTest.check(spec, "tagging bidirectional=" + bidirectional, 11, batch);
  }
}
