package io.sparklstm.cli;

import static io.sparklstm.ml.param.AveragingParams.NUM_PARTITIONS;
import static io.sparklstm.ml.param.JobParams.CHECKPOINT_EVERY_ROUNDS;
import static io.sparklstm.ml.param.JobParams.CHECKPOINT_KEEP;
import static io.sparklstm.ml.param.JobParams.TRAIN_PATH;
import static io.sparklstm.ml.param.JobParams.VALIDATION_PATH;
import static io.sparklstm.ml.param.TrainingLoopParams.DIVERGENCE_FACTOR;
import static io.sparklstm.ml.param.TrainingLoopParams.EPOCHS;
import static io.sparklstm.ml.param.TrainingLoopParams.MAX_ROUNDS;
import static io.sparklstm.ml.param.TrainingLoopParams.MAX_SECONDS;

import io.sparklstm.io.SavedModel;
import io.sparklstm.ml.param.JobSettings;
import io.sparklstm.ml.param.Setting;
import io.sparklstm.spark.SparkTrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * What {@code train --resume} must keep from the checkpoint it continues, so that the run ends
 * as an undisturbed one would: the configuration (but for the keys {@link #CHANGEABLE}), the
 * partition count and the data. A difference is refused, naming it.
 */
final class Resume {
  /**
   * Keys a resumed run may change: they decide where a run stops (or, train.divergence.factor,
   * whether it is stopped as diverged) and which checkpoints stay, not what it computes.
   */
  static final Set<String> CHANGEABLE = Stream.of(EPOCHS, CHECKPOINT_EVERY_ROUNDS, MAX_ROUNDS,
      MAX_SECONDS, DIVERGENCE_FACTOR, CHECKPOINT_KEEP).map(Setting::confKey)
      .collect(Collectors.toSet());

  private Resume() {}

  /**
   * The configuration of the run (the partitions: see {@link #partitions}), value by value: a
   * value spelled otherwise ({@code 1e-8}, {@code 1.0E-8}) is the same value.
   */
  static void checkSameConfig(JobConfig now, Map<String, String> then, String file) {
    Map<String, String> before = JobConfig.of(then).asMap();
    for (Map.Entry<String, String> e : now.asMap().entrySet()) {
      String was = before.get(e.getKey());
      if (!CHANGEABLE.contains(e.getKey()) && !e.getKey().equals(NUM_PARTITIONS.confKey())
          && !e.getValue().equals(was)) {
        throw new JobConfig.ConfigException("--resume: " + e.getKey() + " = '" + e.getValue()
            + "' differs from '" + was + "' in " + file + "; only " + CHANGEABLE
            + " may change when resuming");
      }
    }
  }

  /**
   * The training shards for {@code asked} partitions ({@link SparkTrainingConfig#partitions}).
   * A resumed run keeps the count its checkpoint records.
   */
  static int partitions(JavaSparkContext sc, int asked, SavedModel resumed, String file) {
    if (resumed == null) {
      return SparkTrainingConfig.partitions(sc, asked);
    }
    Object recorded = resumed.provenance().get("partitions");
    if (!(recorded instanceof Integer n)) {
      throw new JobConfig.ConfigException(file + " was written by an older spark-lstm that did"
          + " not record its partitions and data; it cannot be resumed safely");
    }
    if (asked > 0 && asked != n) {
      String key = NUM_PARTITIONS.confKey();
      throw new JobConfig.ConfigException("--resume: " + key + " = " + asked + " but the run "
          + "was trained with " + n + " partitions (" + file + "); leave " + key + " as it was,"
          + " and the run's " + n + " are used");
    }
    return n;
  }

  /** Refuses to resume on other data than the run's, naming what changed. */
  static void checkSameData(SavedModel resumed, JobData<?> data, JobSettings s, String file) {
    Map<?, ?> then = (Map<?, ?>) resumed.provenance().get("data");
    List<String> changes = new ArrayList<>();
    data.fingerprint().forEach((k, v) -> {
      if (!v.equals(then.get(k))) {
        changes.add(k + " " + then.get(k) + " -> " + v);
      }
    });
    if (!changes.isEmpty()) {
      String where = TRAIN_PATH.confKey() + " " + s.getTrainPath() + (s.getValidationPath()
          .isEmpty() ? "" : " or " + VALIDATION_PATH.confKey() + " " + s.getValidationPath());
      throw new JobConfig.ConfigException("--resume: the data changed since " + file + " ("
          + where + "): " + String.join(", ", changes) + "; resume with the data the run began "
          + "with, or start a new run with another --out");
    }
  }
}
