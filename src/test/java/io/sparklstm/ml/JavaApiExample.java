package io.sparklstm.ml;

import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Usage: JavaApiExample TEXTS.csv CORPUS.txt OUT_DIR (see README, "Java API"). */
public final class JavaApiExample {
  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession.builder().appName("spark-lstm example").getOrCreate();

    // A text classifier: labelled texts (columns text and category) in, predictions out.
    Dataset<Row> texts = spark.read().option("header", "true").csv(args[0]);
    Dataset<Row>[] split = texts.randomSplit(new double[] {0.8, 0.2}, 1);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new RegexTokenizer().setInputCol("text").setOutputCol("words"),
        new StringIndexer().setInputCol("category").setOutputCol("label"),
        new LstmClassifier().setFeaturesCol("words").setInputKind("embedding")
            .setEmbeddingSize(16).setHiddenSize(32).setNumLayers(1)
            .setEpochs(5).setBatchSize(16).setLearningRate(0.01)});
    PipelineModel classifier = pipeline.fit(split[0]);
    Dataset<Row> scored = classifier.transform(split[1]);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(scored);
    System.out.printf("held-out accuracy: %.3f%n", accuracy);
    scored.select("text", "category", "probability", "prediction").show(3, false);
    classifier.write().overwrite().save(args[2] + "/classifier");
    PipelineModel reloaded = PipelineModel.load(args[2] + "/classifier");

    // A character language model: lines of text in, bits per character and samples out.
    LstmTextModel lm = new LstmLanguageModel().setHiddenSize(64).setNumLayers(1).setEpochs(5)
        .setBatchSize(8).setWindow(50).setLearningRate(0.01)
        .fit(LstmLanguageModel.readText(spark, args[1]));
    System.out.printf("held-out bits per character after each epoch: %s%n",
        java.util.Arrays.toString(lm.summary().heldOutBitsPerToken()));
    Dataset<Row> prompts = spark.createDataset(List.of("the wh", "call m"),
        Encoders.STRING()).toDF("prompt");
    lm.setGenerateLength(40).setTemperature(0.8).setTopK(5).setSampleSeed(1)
        .generate(prompts).show(false);
    lm.write().overwrite().save(args[2] + "/lm");
    System.out.println("reloaded classifier stages: " + reloaded.stages().length);
  }
}
