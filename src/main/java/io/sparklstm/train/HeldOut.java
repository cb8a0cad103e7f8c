package io.sparklstm.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparklstm.nn.LossTotals;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A model's figures on held-out data, as its task measures them: the loss and accuracy every
 * task has, and its own metric (its name, e.g. "bits per token", and value), with the console
 * table and the JSON record ({@link #report}) that {@code jobs/evaluate} prints and writes.
 */
public sealed interface HeldOut
    permits HeldOut.Tokens, HeldOut.Classes, HeldOut.Tags, Seq2SeqHeldOut {
  double meanLoss();

  double accuracy();

  /** The task's metric, as the run log names it. */
  String metricName();

  double metric();

  /** The figures as a table; {@code classes} names a classifier's outputs. */
  String table(List<String> classes);

  /** The figures as a record for Jackson (doubles to 6 decimals; null if not finite). */
  Object report(List<String> classes);

  /** A language model's figures: loss per token, bits per token, perplexity. */
  record Tokens(LossTotals totals) implements HeldOut {
    @Override
    public double meanLoss() {
      return totals.meanLoss();
    }

    @Override
    public double accuracy() {
      return totals.accuracy();
    }

    @Override
    public String metricName() {
      return "bits per token";
    }

    @Override
    public double metric() {
      return totals.bitsPerToken();
    }

    @Override
    public String table(List<String> classes) {
      LossTotals t = totals;
      return String.format(Locale.ROOT, "%-16s %12s%n%-16s %12d%n%-16s %12.4f%n%-16s %12.4f%n"
              + "%-16s %12.4f%n%-16s %12.4f%n", "metric", "value", "tokens", t.count(),
          "loss (nats)", t.meanLoss(), "bits/token", t.bitsPerToken(), "perplexity",
          t.perplexity(), "accuracy", t.accuracy());
    }

    @Override
    public Report report(List<String> classes) {
      return new Report(totals.count(), decimal(totals.meanLoss()),
          decimal(totals.bitsPerToken()), decimal(totals.perplexity()),
          decimal(totals.accuracy()));
    }

    /** The JSON of a language model's evaluation. */
    public record Report(long tokens, BigDecimal loss, BigDecimal bitsPerToken,
        BigDecimal perplexity, BigDecimal accuracy) {}
  }

  /** A classifier's figures: loss, accuracy, and precision, recall and F1 per class. */
  record Classes(Evaluation evaluation) implements HeldOut {
    @Override
    public double meanLoss() {
      return evaluation.loss().meanLoss();
    }

    @Override
    public double accuracy() {
      return evaluation.loss().accuracy();
    }

    @Override
    public String metricName() {
      return "accuracy";
    }

    @Override
    public double metric() {
      return accuracy();
    }

    @Override
    public String table(List<String> classes) {
      Evaluation e = evaluation;
      return String.format(Locale.ROOT, "examples %d  loss %.4f  accuracy %.4f%n",
          e.loss().count(), e.loss().meanLoss(), e.loss().accuracy())
          + perClassTable(e, classes, "class");
    }

    @Override
    public Report report(List<String> classes) {
      Evaluation e = evaluation;
      return new Report(e.loss().count(), decimal(e.loss().meanLoss()),
          decimal(e.loss().accuracy()), perClass(e, classes), e.confusion());
    }

    /** The JSON of a classifier's evaluation. */
    public record Report(long examples, BigDecimal loss, BigDecimal accuracy,
        List<PerClass> classes, long[][] confusion) {}

    /** One class's figures; {@code class} is its output index. */
    public record PerClass(@JsonProperty("class") int index,
        String name, BigDecimal precision, BigDecimal recall, BigDecimal f1) {}
  }

  /**
   * A tagger's figures, over the real tokens: loss, token accuracy, and precision, recall and F1
   * per tag with their macro average (the metric a run log follows).
   */
  record Tags(Evaluation evaluation) implements HeldOut {
    @Override
    public double meanLoss() {
      return evaluation.loss().meanLoss();
    }

    @Override
    public double accuracy() {
      return evaluation.loss().accuracy();
    }

    @Override
    public String metricName() {
      return "macro F1";
    }

    @Override
    public double metric() {
      return evaluation.macroF1();
    }

    @Override
    public String table(List<String> tags) {
      Evaluation e = evaluation;
      return String.format(Locale.ROOT, "tokens %d  loss %.4f  token accuracy %.4f  macro F1 "
          + "%.4f%n", e.loss().count(), e.loss().meanLoss(), e.loss().accuracy(), e.macroF1())
          + perClassTable(e, tags, "tag");
    }

    @Override
    public Report report(List<String> tags) {
      Evaluation e = evaluation;
      return new Report(e.loss().count(), decimal(e.loss().meanLoss()),
          decimal(e.loss().accuracy()), decimal(e.macroF1()), perClass(e, tags), e.confusion());
    }

    /** The JSON of a tagger's evaluation; {@code tags} lists each tag's figures. */
    public record Report(long tokens, BigDecimal loss, BigDecimal accuracy, BigDecimal macroF1,
        List<Classes.PerClass> tags, long[][] confusion) {}
  }

  /** Precision, recall, F1 and support per output, a row each under a header naming them. */
  private static String perClassTable(Evaluation e, List<String> names, String kind) {
    String name = "%" + Math.max(5, names.stream().mapToInt(String::length).max()
        .orElse(0)) + "s";
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        name + " %9s %9s %9s %9s%n", kind, "precision", "recall", "f1", "support"));
    for (int k = 0; k < e.classes(); k++) {
      out.append(String.format(Locale.ROOT, name + " %9.4f %9.4f %9.4f %9d%n", names.get(k),
          e.precision(k), e.recall(k), e.f1(k), e.support(k)));
    }
    return out.toString();
  }

  private static List<Classes.PerClass> perClass(Evaluation e, List<String> names) {
    List<Classes.PerClass> rows = new ArrayList<>();
    for (int k = 0; k < e.classes(); k++) {
      rows.add(new Classes.PerClass(k, names.get(k), decimal(e.precision(k)),
          decimal(e.recall(k)), decimal(e.f1(k))));
    }
    return rows;
  }

  private static BigDecimal decimal(double v) {
    return Decimals.of(v, 6);
  }
}
