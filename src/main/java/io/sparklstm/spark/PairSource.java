package io.sparklstm.spark;

import io.sparklstm.io.DataFiles;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.input.PortableDataStream;

/**
 * Source-target pairs from files, cut into tokens: a tab-separated text file (one pair a line,
 * strict UTF-8), or CSV/Parquet with string columns {@code source} and {@code target}. A bad row
 * (no tab, an empty source) fails the job naming its file and line or row: nothing is dropped.
 */
public final class PairSource {
  private PairSource() {}

  /** A pair's tokens. */
  public record TokenPair(String[] source, String[] target) implements Serializable {}

  /**
   * How a text becomes tokens: {@code space} (runs of whitespace), {@code chars} (code points)
   * or a literal separator (empty tokens dropped).
   */
  public record Splitter(String how) implements Serializable {
    public String[] split(String text) {
      if (how.equals("chars")) {
        return text.codePoints().mapToObj(Character::toString).toArray(String[]::new);
      }
      String pattern = how.equals("space") ? "\\s+" : Pattern.quote(how);
      return Arrays.stream(text.strip().split(pattern)).filter(t -> !t.isEmpty())
          .toArray(String[]::new);
    }

    /** The text of tokens, as {@link #split} reads them. */
    public String join(List<String> tokens) {
      return String.join(how.equals("chars") ? "" : how.equals("space") ? " " : how, tokens);
    }
  }

  /** The pairs of {@code path} in {@code format} ({@code tsv}, {@code csv} or {@code parquet}). */
  public static JavaRDD<TokenPair> read(JavaSparkContext sc, String format, String path,
      Splitter source, Splitter target) throws java.io.IOException {
    if (format.equals("tsv")) {
      return tsv(sc, path, source, target);
    }
    if (format.equals("csv") || format.equals("parquet")) {
      return TableSource.pairs(sc, format, path).map(p -> pair(p._1(), p._2()[0], p._2()[1],
          source, target));
    }
    throw new IllegalArgumentException("data.format = " + format + " does not hold pairs; "
        + "expected tsv, csv or parquet for task = seq2seq");
  }

  /**
   * Tab-separated pairs: each file is read whole (pair files are small beside the models
   * trained on them), so that every line is named by its number.
   */
  private static JavaRDD<TokenPair> tsv(JavaSparkContext sc, String path, Splitter source,
      Splitter target) {
    return sc.binaryFiles(path).flatMap(f -> {
      String file = DataFiles.display(new Path(f._1()).toString());
      PortableDataStream stream = f._2();
      byte[] bytes = stream.toArray();
      String text = new StrictUtf8(file).decode(bytes, 0, bytes.length, 0);
      List<TokenPair> out = new ArrayList<>();
      String[] lines = text.split("\n", -1);
      int n = lines.length - (text.endsWith("\n") ? 1 : 0);
      for (int i = 0; i < n; i++) {
        String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1)
            : lines[i];
        String at = file + " line " + (i + 1);
        int tab = line.indexOf('\t');
        if (tab < 0) {
          throw new IllegalArgumentException(at + ": no tab; expected a source, a tab and its "
              + "target");
        }
        out.add(pair(at, line.substring(0, tab), line.substring(tab + 1), source, target));
      }
      return out.iterator();
    });
  }

  private static TokenPair pair(String at, String sourceText, String targetText,
      Splitter source, Splitter target) {
    if (sourceText == null) {
      throw new IllegalArgumentException(at + ": source is empty");
    }
    String[] s = source.split(sourceText);
    if (s.length == 0) {
      throw new IllegalArgumentException(at + ": source is empty");
    }
    if (targetText == null) {
      throw new IllegalArgumentException(at + ": target is empty");
    }
    if (targetText.indexOf('\t') >= 0) {
      throw new IllegalArgumentException(at + ": more than one tab; expected a source, a tab "
          + "and its target");
    }
    String[] t = target.split(targetText);
    if (t.length == 0) {
      throw new IllegalArgumentException(at + ": target is empty");
    }
    return new TokenPair(s, t);
  }
}
