package io.sparklstm.ml;

import io.sparklstm.data.Vocabulary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/** Vocabularies of token-array columns, counted where the data lies. */
final class Vocabularies {
  private Vocabularies() {}

  /**
   * The tokens seen at least {@code minCount} times, sorted (so ids follow from the data alone):
   * each partition counts locally, Spark sums the counts, only distinct tokens reach the driver.
   */
  static Vocabulary ofTokens(JavaRDD<List<?>> sequences, int minCount) {
    List<String> kept = sequences.mapPartitionsToPair(it -> {
      Map<String, Long> counts = new HashMap<>();
      it.forEachRemaining(tokens -> tokens.forEach(t -> counts.merge((String) t, 1L, Long::sum)));
      List<Tuple2<String, Long>> out = new ArrayList<>(counts.size());
      counts.forEach((t, n) -> out.add(new Tuple2<>(t, n)));
      return out.iterator();
    }).reduceByKey(Long::sum).filter(t -> t._2 >= minCount).keys().collect();
    List<String> sorted = new ArrayList<>(kept);
    sorted.sort(null);
    return new Vocabulary(true, sorted);
  }
}
