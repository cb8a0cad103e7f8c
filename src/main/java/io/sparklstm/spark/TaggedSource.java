package io.sparklstm.spark;

import io.sparklstm.data.Example;
import io.sparklstm.data.Tokenizer;
import io.sparklstm.data.Vocabulary;
import io.sparklstm.io.DataFiles;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Tagged sequences (a tag per token) for {@code task = tagging}: the two-column CoNLL layout
 * here, CSV and Parquet with {@code tokens} and {@code tags} columns in {@link TableSource}.
 *
 * <p>CoNLL layout: a token and its tag a line, separated by whitespace (spaces or tabs), a blank
 * line after each sentence. A line whose first column is {@code -DOCSTART-} (CoNLL-2003's
 * document marker) is skipped with the blank line after it. There are no comment lines: a
 * {@code #} is a token like any other (tweets and code have them), so a CoNLL-U comment such as
 * {@code # text = ...} fails as a line of more than two columns. A line of one column or of three
 * or more, and a blank line that ends no sentence (two in a row), fail naming the file and line.
 */
public final class TaggedSource {
  private static final String DOCSTART = "-DOCSTART-";

  private TaggedSource() {}

  /** A sentence as read: tokens, their tags, and where it starts (for messages). */
  public record TaggedText(String[] tokens, String[] tags, String at) implements Serializable {}

  /**
   * The sentences of the CoNLL file(s) at {@code path} in file order (files sorted by name),
   * each file read whole by one task; sentences longer than {@code maxLength} fail.
   */
  public static JavaRDD<TaggedText> conll(JavaSparkContext sc, String path, int maxLength) {
    return sc.binaryFiles(path).sortByKey(true, 1).flatMap(f -> {
      byte[] bytes = f._2.toArray();
      String text = new StrictUtf8(f._1).decode(bytes, 0, bytes.length, 0);
      return parseConll(DataFiles.display(f._1), text, maxLength).iterator();
    });
  }

  /** The sentences of one CoNLL file's text ({@code file} names it in messages). */
  static List<TaggedText> parseConll(String file, String text, int maxLength) {
    List<TaggedText> out = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    int start = 0;
    boolean afterDocStart = false;
    String[] lines = text.split("\n", -1);
    int last = lines.length - (lines[lines.length - 1].isEmpty() ? 1 : 0);
    for (int i = 0; i < last; i++) {
      String line = lines[i].strip();
      int number = i + 1;
      if (line.isEmpty()) {
        if (!tokens.isEmpty()) {
          out.add(sentence(file, start, tokens, tags, maxLength));
        } else if (!afterDocStart) {
          throw new IllegalArgumentException(file + " line " + number + ": a blank line that "
              + "ends no sentence (an empty sentence); expected one blank line between "
              + "sentences");
        }
        afterDocStart = false;
        continue;
      }
      String[] cols = line.split("\\s+");
      if (cols[0].equals(DOCSTART)) {
        if (!tokens.isEmpty()) {
          out.add(sentence(file, start, tokens, tags, maxLength));
        }
        afterDocStart = true;
        continue;
      }
      afterDocStart = false;
      if (cols.length != 2) {
        throw new IllegalArgumentException(file + " line " + number + ": " + cols.length
            + (cols.length == 1 ? " column" : " columns") + " (" + shown(line) + "); expected a "
            + "token and its tag separated by whitespace, and a blank line between sentences");
      }
      if (tokens.isEmpty()) {
        start = number;
      }
      tokens.add(cols[0]);
      tags.add(cols[1]);
    }
    if (!tokens.isEmpty()) {
      out.add(sentence(file, start, tokens, tags, maxLength));
    }
    return out;
  }

  private static TaggedText sentence(String file, int start, List<String> tokens,
      List<String> tags, int maxLength) {
    String at = file + " line " + start;
    requireLength(at, tokens.size(), maxLength);
    TaggedText t = new TaggedText(tokens.toArray(new String[0]), tags.toArray(new String[0]),
        at);
    tokens.clear();
    tags.clear();
    return t;
  }

  /** Fails on a sentence longer than the model's window: its tags would go unscored. */
  static void requireLength(String at, int tokens, int maxLength) {
    if (tokens > maxLength) {
      throw new IllegalArgumentException(at + ": a sentence of " + tokens + " tokens, longer "
          + "than text.max.length = " + maxLength + "; raise text.max.length");
    }
  }

  private static String shown(String line) {
    return line.length() > 60 ? line.substring(0, 60) + "..." : line;
  }

  /**
   * The items of a tokens or tags value: an array's or list's, or a string's split at
   * {@code separator} (a regular expression; separators at either end are ignored). None, a null
   * or an empty item fails naming {@code at} and {@code column}.
   */
  public static String[] items(Object value, String separator, String at, String column) {
    String[] items;
    if (value == null) {
      items = new String[0];
    } else if (value instanceof String s) {
      String stripped = s.replaceAll("^(?:" + separator + ")+|(?:" + separator + ")+$", "");
      items = stripped.isEmpty() ? new String[0] : stripped.split(separator, -1);
    } else {
      List<?> list = value instanceof scala.collection.Seq<?> seq
          ? scala.jdk.javaapi.CollectionConverters.asJava(seq)
          : value instanceof Object[] a ? Arrays.asList(a) : (List<?>) value;
      items = new String[list.size()];
      for (int k = 0; k < items.length; k++) {
        items[k] = list.get(k) == null ? null : list.get(k).toString();
      }
    }
    if (items.length == 0) {
      throw new IllegalArgumentException(at + ": " + column + " is empty; expected at least one");
    }
    for (int k = 0; k < items.length; k++) {
      if (items[k] == null || items[k].isEmpty()) {
        throw new IllegalArgumentException(at + ": item " + (k + 1) + " of " + column + " is "
            + (items[k] == null ? "null" : "empty"));
      }
    }
    return items;
  }

  /** The distinct tags of {@code texts}, sorted: the tagger's outputs. */
  public static List<String> tagSet(JavaRDD<TaggedText> texts) {
    List<String> tags = new ArrayList<>(texts.flatMap(t -> Arrays.asList(t.tags()).iterator())
        .distinct().collect());
    tags.sort(null);
    return tags;
  }

  /**
   * The word vocabulary of the texts' tokens as {@code tokenizer} normalizes them (lower-casing;
   * the tokens are split already), at most {@code maxSize} of those seen {@code minCount} times.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Vocabulary vocabulary(JavaRDD<TaggedText> texts, Tokenizer tokenizer,
      int minCount, int maxSize, String where) {
    return TextSource.ofTokens((JavaRDD) texts.map(t -> Arrays.asList(t.tokens())), tokenizer,
        minCount, maxSize, where);
  }

  /** The texts as token and tag ids; a tag outside {@code tags} fails naming its sentence. */
  public static JavaRDD<Example> encode(JavaRDD<TaggedText> texts, Vocabulary vocab,
      List<String> tags) {
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < tags.size(); i++) {
      ids.put(tags.get(i), i);
    }
    return texts.map(t -> {
      int[] tokenIds = new int[t.tokens().length];
      int[] tagIds = new int[t.tags().length];
      for (int i = 0; i < tokenIds.length; i++) {
        tokenIds[i] = vocab.id(vocab.tokenizer().normalize(t.tokens()[i]));
        Integer id = ids.get(t.tags()[i]);
        if (id == null) {
          throw new IllegalArgumentException(t.at() + ": tag '" + t.tags()[i] + "' (token "
              + (i + 1) + ") is not one of the model's " + tags.size() + " tags "
              + shownTags(tags));
        }
        tagIds[i] = id;
      }
      return Example.ofTagged(tokenIds, tagIds);
    });
  }

  private static String shownTags(List<String> tags) {
    return tags.size() <= 20 ? tags.toString() : tags.subList(0, 20) + " ...";
  }
}
