package io.sparklstm.cli;

import io.sparklstm.io.SavedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * What {@code train --resume} must keep from the checkpoint it continues, so that the run ends
 * as an undisturbed one would: the configuration (but for the keys {@link #CHANGEABLE}), the
 * partition count and the data. A difference is refused, naming it.
 */
final class Resume {
  /**
   * Keys a resumed run may change: they decide where a run stops (or, train.divergence.factor,
   * whether it is stopped as diverged), not what it computes.
   */
  static final Set<String> CHANGEABLE = Set.of("train.epochs", "checkpoint.every.rounds",
      "train.max.rounds", "train.max.seconds", "train.divergence.factor");

  private Resume() {}

  /** The configuration of the run (spark.partitions: see {@link #partitions}). */
  static void checkSameConfig(JobConfig now, Map<String, String> then, String file) {
    for (Map.Entry<String, String> e : now.asMap().entrySet()) {
      // A checkpoint from before a key existed ran with its default.
      String before = then.getOrDefault(e.getKey(), JobKeys.ALL.get(e.getKey()).defaultValue());
      if (!CHANGEABLE.contains(e.getKey()) && !e.getKey().equals("spark.partitions")
          && !e.getValue().equals(before)) {
        throw new JobConfig.ConfigException("--resume: " + e.getKey() + " = '" + e.getValue()
            + "' differs from '" + before + "' in " + file + "; only " + CHANGEABLE
            + " may change when resuming");
      }
    }
  }

  /**
   * The training shards: spark.partitions, or Spark's default parallelism for 0 (which differs
   * between local[*] and a cluster). A resumed run keeps the count its checkpoint records.
   */
  static int partitions(JavaSparkContext sc, JobConfig cfg, SavedModel resumed,
      String file) {
    int asked = cfg.integer("spark.partitions");
    if (resumed == null) {
      return asked > 0 ? asked : Math.max(1, sc.defaultParallelism());
    }
    Object recorded = resumed.provenance().get("partitions");
    if (!(recorded instanceof Integer n)) {
      throw new JobConfig.ConfigException(file + " was written by an older spark-lstm that did"
          + " not record its partitions and data; it cannot be resumed safely");
    }
    if (asked > 0 && asked != n) {
      throw new JobConfig.ConfigException("--resume: spark.partitions = " + asked + " but the "
          + "run was trained with " + n + " partitions (" + file + "); leave spark.partitions "
          + "as it was, and the run's " + n + " are used");
    }
    return n;
  }

  /** Refuses to resume on other data than the run's, naming what changed. */
  static void checkSameData(SavedModel resumed, JobData data, JobConfig cfg,
      String file) {
    Map<?, ?> then = (Map<?, ?>) resumed.provenance().get("data");
    List<String> changes = new ArrayList<>();
    data.fingerprint().forEach((k, v) -> {
      if (!v.equals(then.get(k))) {
        changes.add(k + " " + then.get(k) + " -> " + v);
      }
    });
    if (!changes.isEmpty()) {
      String where = "data.train " + cfg.string("data.train") + (cfg.string("data.validation")
          .isEmpty() ? "" : " or data.validation " + cfg.string("data.validation"));
      throw new JobConfig.ConfigException("--resume: the data changed since " + file + " ("
          + where + "): " + String.join(", ", changes) + "; resume with the data the run began "
          + "with, or start a new run with another --out");
    }
  }
}
