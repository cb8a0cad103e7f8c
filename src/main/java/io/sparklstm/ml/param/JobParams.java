package io.sparklstm.ml.param;

import java.util.List;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * What only a training job needs beside the estimator's settings: which estimator (the task),
 * where its data lies, and how often it checkpoints. An estimator takes a DataFrame instead.
 */
public interface JobParams extends Params {
  Setting.Texts TASK = Setting.oneOf("task", "task", "language-model",
      List.of("language-model", "classification", "tagging", "seq2seq"), "language-model: "
          + "predict the next token at every step (TBPTT); classification: one label per "
          + "sequence; tagging: one tag per token; seq2seq: an encoder-decoder from source to "
          + "target sequences");
  Setting.Texts DATA_FORMAT = Setting.oneOf("dataFormat", "data.format", "text",
      List.of("text", "idx", "labelled-dirs", "csv", "parquet", "conll", "tsv"), "text: plain "
          + "text; idx: MNIST-format images; labelled-dirs: one directory of text files per "
          + "class; csv/parquet: columns text and label (tagging: tokens and tags; seq2seq: "
          + "source and target); conll: a token and its tag a line, a blank line between "
          + "sentences (tagging); tsv (seq2seq): a source, a tab and its target a line");
  Setting.Texts TRAIN_PATH = Setting.text("trainPath", "data.train", null, true,
      "training data: any Hadoop path (file://, hdfs://, s3a://)");
  Setting.Texts TRAIN_LABELS_PATH = Setting.text("trainLabelsPath", "data.train.labels", "",
      false, "idx only: the labels file of data.train");
  Setting.Texts VALIDATION_PATH = Setting.text("validationPath", "data.validation", "", false,
      "held-out data (same format); empty: see data.validation.fraction");
  Setting.Texts VALIDATION_LABELS_PATH = Setting.text("validationLabelsPath",
      "data.validation.labels", "", false, "idx only: the labels file of data.validation");
  Setting.Ints CHECKPOINT_EVERY_ROUNDS = Setting.integer("checkpointEveryRounds",
      "checkpoint.every.rounds", 0, 0, 1_000_000,
      "also checkpoint every N rounds (a checkpoint is always written after each epoch)");
  Setting.Ints CHECKPOINT_KEEP = Setting.integer("checkpointKeep", "checkpoint.keep", 0, 0,
      1_000_000, "keep the last N checkpoints and the best held-out evaluation's, "
          + "deleting older ones (0: keep all)");

  default Param<String> task() {
    return TASK.param(this);
  }

  default Param<String> dataFormat() {
    return DATA_FORMAT.param(this);
  }

  default Param<String> trainPath() {
    return TRAIN_PATH.param(this);
  }

  default Param<String> trainLabelsPath() {
    return TRAIN_LABELS_PATH.param(this);
  }

  default Param<String> validationPath() {
    return VALIDATION_PATH.param(this);
  }

  default Param<String> validationLabelsPath() {
    return VALIDATION_LABELS_PATH.param(this);
  }

  default IntParam checkpointEveryRounds() {
    return CHECKPOINT_EVERY_ROUNDS.param(this);
  }

  default IntParam checkpointKeep() {
    return CHECKPOINT_KEEP.param(this);
  }

  default int getCheckpointKeep() {
    return CHECKPOINT_KEEP.get(this);
  }

  default String getTask() {
    return TASK.get(this);
  }

  default String getDataFormat() {
    return DATA_FORMAT.get(this);
  }

  default String getTrainPath() {
    return TRAIN_PATH.get(this);
  }

  default String getTrainLabelsPath() {
    return TRAIN_LABELS_PATH.get(this);
  }

  default String getValidationPath() {
    return VALIDATION_PATH.get(this);
  }

  default String getValidationLabelsPath() {
    return VALIDATION_LABELS_PATH.get(this);
  }

  default int getCheckpointEveryRounds() {
    return CHECKPOINT_EVERY_ROUNDS.get(this);
  }
}
