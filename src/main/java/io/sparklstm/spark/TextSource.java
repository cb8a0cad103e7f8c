package io.sparklstm.spark;

import io.sparklstm.data.Tokenizer;
import io.sparklstm.data.Vocabulary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * Plain text from any Hadoop path (a file, a directory, a glob; .gz is decompressed) as lines in
 * reading order, decoded as strict UTF-8 ({@link StrictUtf8}): a malformed byte sequence, a NUL
 * byte or a UTF-16 byte-order mark fails the job with the file and byte offset. The vocabulary
 * is built by a distributed count; only the distinct tokens come back to the driver.
 */
public final class TextSource {
  private TextSource() {}

  /** The lines of {@code path}, in file order then line order. */
  @SuppressWarnings("unchecked")
  public static JavaRDD<String> lines(JavaSparkContext sc, String path) {
    org.apache.hadoop.conf.Configuration conf = sc.hadoopConfiguration();
    JavaNewHadoopRDD<LongWritable, Text> raw = (JavaNewHadoopRDD<LongWritable, Text>)
        sc.newAPIHadoopFile(path, TextInputFormat.class, LongWritable.class, Text.class, conf);
    return raw.mapPartitionsWithInputSplit((split, it) -> {
      StrictUtf8 utf8 = new StrictUtf8(split instanceof FileSplit f ? f.getPath().toString()
          : path);
      // Lazily, line by line: a partition's text is never held in memory at once.
      return new Iterator<String>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public String next() {
          Tuple2<LongWritable, Text> line = it.next();
          return utf8.decode(line._2.getBytes(), 0, line._2.getLength(), line._1.get());
        }
      };
    }, true);
  }

  /**
   * The vocabulary of {@code lines} as {@code tokenizer} splits them, keeping the tokens seen at
   * least {@code minCount} times, at most {@code maxSize} of them (0: all; {@link
   * Vocabulary#of}), by a distributed count ({@link TextCensus}).
   */
  public static Vocabulary vocabulary(JavaRDD<String> lines, Tokenizer tokenizer, int minCount,
      int maxSize) {
    return TextCensus.of(lines, tokenizer).vocabulary(minCount, maxSize);
  }

  /**
   * The vocabulary of token sequences (e.g. a column of token arrays), counted the same way, each
   * token only lower-cased if {@code tokenizer} lower-cases; {@code where} names them when a
   * token is null.
   */
  public static Vocabulary ofTokens(JavaRDD<List<?>> sequences, Tokenizer tokenizer,
      int minCount, int maxSize, String where) {
    return kept(sequences.mapPartitionsToPair(it -> {
      Map<String, Long> counts = new HashMap<>();
      it.forEachRemaining(tokens -> tokens.forEach(t -> {
        if (t == null) { // not a rare word: the unknown token would hide it
          throw new IllegalArgumentException(where + " holds a null token");
        }
        counts.merge(tokenizer.normalize((String) t), 1L, Long::sum);
      }));
      return pairs(counts);
    }), tokenizer, minCount, maxSize);
  }

  private static Iterator<Tuple2<String, Long>> pairs(Map<String, Long> counts) {
    List<Tuple2<String, Long>> out = new ArrayList<>(counts.size());
    counts.forEach((t, n) -> out.add(new Tuple2<>(t, n)));
    return out.iterator();
  }

  /**
   * The vocabulary of the summed partition counts; only the distinct tokens seen at least
   * {@code minCount} times reach the driver.
   */
  private static Vocabulary kept(JavaPairRDD<String, Long> partitionCounts, Tokenizer tokenizer,
      int minCount, int maxSize) {
    Map<String, Long> counts = new HashMap<>(partitionCounts.reduceByKey(Long::sum)
        .filter(t -> t._2 >= minCount).collectAsMap());
    return Vocabulary.of(tokenizer, counts, minCount, maxSize);
  }
}
