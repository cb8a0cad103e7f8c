package io.sparklstm.ml.param;

import io.sparklstm.optim.BlockMomentum;
import java.io.Serializable;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.Identifiable;
import scala.runtime.AbstractFunction1;

/**
 * One setting, declared once: the name and doc of its spark.ml {@link Param}, its default, the
 * values it accepts, and the conf-file key the jobs read it under ({@code null} for settings of
 * the API alone). One check serves both the Param's validator and the conf file's error message
 * ({@link #problem}), so the two cannot drift apart.
 *
 * <p>A setting makes a new Param object on every {@link #param} call: spark.ml identifies a
 * Param by its owner's uid and its name ({@code Param.equals}), so these are the same Param to
 * it, and the interfaces that declare settings need no per-instance state.
 *
 * @param <T> the value type (Integer, Long, Double, Boolean, String, {@link BlockMomentum})
 */
public abstract sealed class Setting<T> implements Serializable {
  private final String name;
  private final String confKey;
  private final String doc;
  private final T defaultValue;
  private final String expected;
  private final Check<T> accepts;

  private Setting(String name, String confKey, String doc, T defaultValue, String expected,
      Check<T> accepts) {
    this.name = name;
    this.confKey = confKey;
    this.doc = doc;
    this.defaultValue = defaultValue;
    this.expected = expected;
    this.accepts = accepts;
  }

  /** The spark.ml Param name, e.g. {@code hiddenSize}. */
  public String name() {
    return name;
  }

  /** The conf-file key, e.g. {@code model.hidden}; null for API-only settings. */
  public String confKey() {
    return confKey;
  }

  public String doc() {
    return doc;
  }

  /** How messages name it to both audiences: {@code hiddenSize (model.hidden)}. */
  public String label() {
    return confKey == null ? name : name + " (" + confKey + ")";
  }

  /** The default, or null for a setting that must be given (e.g. the training data path). */
  public T defaultValue() {
    return defaultValue;
  }

  /** The default as conf-file text ({@link #format}); empty for a setting without one. */
  public String defaultText() {
    return defaultValue == null ? "" : format(defaultValue);
  }

  public boolean accepts(T value) {
    return value != null && accepts.test(value);
  }

  /** Null when {@code text} is a valid conf-file value, else what was expected. */
  public String problem(String text) {
    T v = parseOrNull(text);
    return v != null && accepts(v) ? null : expected;
  }

  /** The value of a conf-file text that {@link #problem} accepts. */
  public T parse(String text) {
    if (problem(text) != null) {
      throw new IllegalArgumentException(describe() + " = '" + text + "' is invalid: expected "
          + expected);
    }
    return parseOrNull(text);
  }

  /** The conf-file text of a value: {@code parse(format(v)).equals(v)}. */
  public String format(T value) {
    return String.valueOf(value);
  }

  /** This setting's Param of {@code owner}. */
  public abstract Param<?> param(Identifiable owner);

  /** The value (set or default) of this setting in {@code owner}. */
  @SuppressWarnings("unchecked")
  public T get(Params owner) {
    return (T) owner.getOrDefault((Param<Object>) param(owner));
  }

  abstract T parseOrNull(String text);

  /** The Param's doc: the setting's doc and, for conf keys, the key. */
  String paramDoc() {
    return confKey == null ? doc : doc + " (conf: " + confKey + ")";
  }

  /** The spark.ml validator: a serializable Scala function over this setting's check. */
  Validator<T> validator() {
    return new Validator<>(this);
  }

  private String describe() {
    return confKey != null ? confKey : name;
  }

  static Ints integer(String name, String confKey, int def, int min, int max, String doc) {
    return new Ints(name, confKey, doc, def, min, max);
  }

  static Longs longInteger(String name, String confKey, long def, long min, long max,
      String doc) {
    return new Longs(name, confKey, doc, def, min, max);
  }

  static Numbers number(String name, String confKey, double def, double min, double max,
      String doc) {
    return new Numbers(name, confKey, doc, def, min, max);
  }

  /** 0, meaning off, or a double in [min, max]; {@code expected} says so in the conf's words. */
  static Numbers numberOrOff(String name, String confKey, double def, double min, double max,
      String expected, String doc) {
    return new Numbers(name, confKey, doc, def, expected, v -> v == 0 || v >= min && v <= max);
  }

  /** A probability in [0, 1), e.g. of dropout. */
  static Numbers probability(String name, String confKey, String doc) {
    return new Numbers(name, confKey, doc, 0.0, "a number in [0, 1)", v -> v >= 0 && v < 1);
  }

  /** A multiplier that shrinks what it multiplies: a number in (0, 1). */
  static Numbers shrinkFactor(String name, String confKey, double def, String doc) {
    return new Numbers(name, confKey, doc, def, "a number in (0, 1)", v -> v > 0 && v < 1);
  }

  static Flags flag(String name, String confKey, boolean def, String doc) {
    return new Flags(name, confKey, doc, def);
  }

  static Texts oneOf(String name, String confKey, String def, List<String> options, String doc) {
    return new Texts(name, confKey, doc, def, "one of " + String.join(", ", options),
        options::contains);
  }

  /** Free text; {@code required} settings have no default and refuse the empty string. */
  static Texts text(String name, String confKey, String def, boolean required, String doc) {
    return required
        ? new Texts(name, confKey, doc, null, "a non-empty value", v -> !v.isEmpty())
        : new Texts(name, confKey, doc, def, "any text", v -> true);
  }

  /** A Java regular expression that matches no empty text (it separates items). */
  static Texts separatorRegex(String name, String confKey, String def, String doc) {
    return new Texts(name, confKey, doc, def, "a regular expression that matches no empty text",
        v -> compiles(v) && !Pattern.compile(v).matcher("").matches());
  }

  /** A Java regular expression that compiles and is not empty. */
  static Texts regex(String name, String confKey, String def, String doc) {
    return new Texts(name, confKey, doc, def, "a non-empty Java regular expression that "
        + "compiles", Setting::compiles);
  }

  private static boolean compiles(String regex) {
    try {
      return !regex.isEmpty() && Pattern.compile(regex) != null;
    } catch (PatternSyntaxException e) {
      return false;
    }
  }

  static Momentum blockMomentum(String name, String confKey, String doc) {
    return new Momentum(name, confKey, doc);
  }

  private static <T> T orNull(String text, Function<String, T> parse) {
    try {
      return parse.apply(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** An int in [min, max]. */
  public static final class Ints extends Setting<Integer> {
    private Ints(String name, String confKey, String doc, int def, long min, long max) {
      super(name, confKey, doc, def, "an integer in [" + min + ", " + max + "]",
          v -> v >= min && v <= max);
    }

    @Override
    public IntParam param(Identifiable owner) {
      return new IntParam(owner.uid(), name(), paramDoc(), validator().untyped());
    }

    @Override
    Integer parseOrNull(String text) {
      Long v = orNull(text, Long::parseLong);
      return v == null || v != v.intValue() ? null : v.intValue();
    }
  }

  /** A long in [min, max]. */
  public static final class Longs extends Setting<Long> {
    private Longs(String name, String confKey, String doc, long def, long min, long max) {
      super(name, confKey, doc, def, "an integer in [" + min + ", " + max + "]",
          v -> v >= min && v <= max);
    }

    @Override
    public LongParam param(Identifiable owner) {
      return new LongParam(owner.uid(), name(), paramDoc(), validator().untyped());
    }

    @Override
    Long parseOrNull(String text) {
      return orNull(text, Long::parseLong);
    }
  }

  /** A double in [min, max] (never NaN). */
  public static final class Numbers extends Setting<Double> {
    private Numbers(String name, String confKey, String doc, double def, double min,
        double max) {
      this(name, confKey, doc, def, "a number in [" + min + ", " + max + "]",
          v -> v >= min && v <= max);
    }

    private Numbers(String name, String confKey, String doc, double def, String expected,
        Check<Double> accepts) {
      super(name, confKey, doc, def, expected, accepts);
    }

    @Override
    public DoubleParam param(Identifiable owner) {
      return new DoubleParam(owner.uid(), name(), paramDoc(), validator().untyped());
    }

    @Override
    Double parseOrNull(String text) {
      return orNull(text, Double::parseDouble);
    }
  }

  /** {@code true} or {@code false}, spelled exactly so in conf files. */
  public static final class Flags extends Setting<Boolean> {
    private Flags(String name, String confKey, String doc, boolean def) {
      super(name, confKey, doc, def, "one of true, false", v -> true);
    }

    @Override
    public BooleanParam param(Identifiable owner) {
      return new BooleanParam(owner.uid(), name(), paramDoc());
    }

    @Override
    Boolean parseOrNull(String text) {
      return text.equals("true") ? Boolean.TRUE : text.equals("false") ? Boolean.FALSE : null;
    }
  }

  /** A string: one of a list, or free text. */
  public static final class Texts extends Setting<String> {
    private Texts(String name, String confKey, String doc, String def, String expected,
        Check<String> accepts) {
      super(name, confKey, doc, def, expected, accepts);
    }

    @Override
    public Param<String> param(Identifiable owner) {
      return new Param<>(owner.uid(), name(), paramDoc(), validator());
    }

    @Override
    String parseOrNull(String text) {
      return text;
    }
  }

  /** {@code auto}, {@code sqrt} or a fixed momentum in [0, 0.999]. */
  public static final class Momentum extends Setting<BlockMomentum> {
    private Momentum(String name, String confKey, String doc) {
      super(name, confKey, doc, BlockMomentum.auto(), "auto, sqrt or a number in [0, 0.999]",
          v -> !(v instanceof BlockMomentum.Fixed f) || f.value() <= 0.999);
    }

    @Override
    public BlockMomentumParam param(Identifiable owner) {
      return new BlockMomentumParam(owner.uid(), name(), paramDoc(), validator());
    }

    @Override
    BlockMomentum parseOrNull(String text) {
      return BlockMomentum.parseOrNull(text);
    }
  }

  /** A value check that travels with the Params that use it (they are serializable). */
  @FunctionalInterface
  interface Check<T> extends Serializable {
    boolean test(T value);
  }

  /** A Param validator: Spark calls it with the value (boxed for primitive Params). */
  static final class Validator<T> extends AbstractFunction1<T, Object> implements Serializable {
    private final Setting<T> setting;

    Validator(Setting<T> setting) {
      this.setting = setting;
    }

    @Override
    public Object apply(T value) {
      return setting.accepts(value);
    }

    /** The same validator for Spark's primitive Params, typed over Object. */
    @SuppressWarnings("unchecked")
    AbstractFunction1<Object, Object> untyped() {
      return (AbstractFunction1<Object, Object>) (AbstractFunction1<?, ?>) this;
    }
  }
}
