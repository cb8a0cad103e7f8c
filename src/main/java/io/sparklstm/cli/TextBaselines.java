package io.sparklstm.cli;

import java.math.BigDecimal;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.CountVectorizer;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The linear baselines of {@code jobs/bench-classify}, Spark MLlib pipelines over a string
 * column: word counts (lower-cased runs of letters, digits and underscores) and character 1- to
 * 4-grams (lower-cased, the text padded with a space at each end so that n-grams mark where
 * it starts and ends), each into a logistic regression. Terms in fewer than two training texts
 * are dropped. The L2 penalty is picked from {@link #REG_PARAMS} on the training rows alone
 * (MLlib's TrainValidationSplit: fitted on 80% of them, judged by accuracy on the other 20%,
 * then refitted on all of them with the best value).
 */
final class TextBaselines {
  /** The regularisation grid: L2 penalties of MLlib's LogisticRegression. */
  static final double[] REG_PARAMS = {1e-4, 1e-3, 1e-2, 1e-1};

  private TextBaselines() {}

  /** A fitted baseline: predictions of its held-out rows and the penalty it chose. */
  record Fitted(Dataset<Row> predictions, double regParam) {
    String notes() {
      return "regParam " + plain(regParam) + " (of " + plain(REG_PARAMS[0]) + ".."
          + plain(REG_PARAMS[REG_PARAMS.length - 1]) + ", picked on the training rows)";
    }
  }

  private static String plain(double v) {
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** Word counts into a logistic regression, fitted on {@code train}, applied to {@code test}. */
  static Fitted bagOfWords(Dataset<Row> train, Dataset<Row> test, String textCol, long seed) {
    RegexTokenizer words = new RegexTokenizer().setInputCol(textCol).setOutputCol("bw_words")
        .setPattern("\\W+");
    return fit(new PipelineStage[] {words, counts("bw_words")}, train, test, seed);
  }

  /** Character 1- to 4-grams into a logistic regression. */
  static Fitted charNgrams(Dataset<Row> train, Dataset<Row> test, String textCol, long seed) {
    SQLTransformer pad = new SQLTransformer().setStatement(
        "SELECT *, concat(' ', " + textCol + ", ' ') AS cg_padded FROM __THIS__");
    RegexTokenizer chars = new RegexTokenizer().setInputCol("cg_padded").setOutputCol("cg_1")
        .setGaps(false).setPattern("(?s).");
    SQLTransformer union = new SQLTransformer().setStatement(
        "SELECT *, concat(cg_1, cg_2, cg_3, cg_4) AS cg_all FROM __THIS__");
    PipelineStage[] stages = {pad, chars, grams(2), grams(3), grams(4), union, counts("cg_all")};
    return fit(stages, train, test, seed);
  }

  private static NGram grams(int n) {
    return new NGram().setN(n).setInputCol("cg_1").setOutputCol("cg_" + n);
  }

  private static CountVectorizer counts(String inputCol) {
    return new CountVectorizer().setInputCol(inputCol).setOutputCol("bl_features").setMinDF(2);
  }

  /**
   * Fits the featurisation on {@code train} once, then the logistic regression with the
   * penalty of the grid that does best on a split of the training rows.
   */
  private static Fitted fit(PipelineStage[] featurise, Dataset<Row> train, Dataset<Row> test,
      long seed) {
    PipelineModel features = new Pipeline().setStages(featurise).fit(train);
    Dataset<Row> trainFeatures = features.transform(train).select("bl_features", "label")
        .cache();
    LogisticRegression lr = new LogisticRegression().setFeaturesCol("bl_features")
        .setLabelCol("label").setMaxIter(100).setElasticNetParam(0);
    ParamMap[] grid = new ParamGridBuilder().addGrid(lr.regParam(), REG_PARAMS).build();
    TrainValidationSplitModel tuned = new TrainValidationSplit().setEstimator(lr)
        .setEstimatorParamMaps(grid).setTrainRatio(0.8).setSeed(seed)
        .setEvaluator(new MulticlassClassificationEvaluator().setLabelCol("label")
            .setMetricName("accuracy"))
        .fit(trainFeatures);
    LogisticRegressionModel best = (LogisticRegressionModel) tuned.bestModel();
    Dataset<Row> predictions = best.transform(features.transform(test));
    trainFeatures.unpersist();
    return new Fitted(predictions, best.getRegParam());
  }
}
