package io.sparklstm.ml;

import io.sparklstm.data.Vocabulary;
import io.sparklstm.io.SavedModel;
import io.sparklstm.nn.ModelSpec;
import io.sparklstm.train.TrainingState;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * What fitting produced: the network's shape, its vocabulary (text models, else null), a
 * tagger's tags (else null), the final training state and provenance. Saved as the jobs' model
 * file, and broadcast once per Spark context for scoring, however many times a model and its
 * copies transform.
 */
final class Fitted {
  final ModelSpec spec;
  final Vocabulary vocabulary;
  /** A tagger's outputs by id; null for other models (a classifier's file names no classes). */
  final List<String> tags;
  final TrainingState state;
  final Map<String, Object> provenance;
  private Broadcast<Weights> broadcast;
  private SparkContext broadcastOn;

  Fitted(ModelSpec spec, Vocabulary vocabulary, TrainingState state,
      Map<String, Object> provenance) {
    this(spec, vocabulary, null, state, provenance);
  }

  Fitted(ModelSpec spec, Vocabulary vocabulary, List<String> tags, TrainingState state,
      Map<String, Object> provenance) {
    this.spec = spec;
    this.vocabulary = vocabulary;
    this.tags = tags;
    this.state = state;
    this.provenance = provenance;
  }

  /** What executors need to score: shape, parameters, vocabulary. */
  record Weights(ModelSpec spec, float[] params, Vocabulary vocabulary) implements Serializable {}

  float[] params() {
    return state.model().params();
  }

  Weights weights() {
    return new Weights(spec, params(), vocabulary);
  }

  /** The weights broadcast on {@code sc}, made on first use there. */
  synchronized Broadcast<Weights> broadcast(SparkContext sc) {
    if (broadcast == null || broadcastOn != sc || sc.isStopped()) {
      broadcast = JavaSparkContext.fromSparkContext(sc).broadcast(weights());
      broadcastOn = sc;
    }
    return broadcast;
  }

  SavedModel toSaved(Map<String, String> config) {
    return new SavedModel(config, spec, vocabulary, tags, state, provenance, null);
  }

  static Fitted of(SavedModel m) {
    return new Fitted(m.spec(), m.vocabulary(), m.tags(), m.state(), m.provenance());
  }
}
