package io.sparklstm.ml.param;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Every {@link Setting}, and the one place that reads and writes settings by their conf-file
 * names: {@link #bind} sets a Param from a {@code key = value} text with the jobs' error
 * messages, {@link #toConf} renders a Params' settings back to those texts, and
 * {@link #setDefaults} gives any Params the declared defaults in one go.
 */
public final class Settings {
  /** The interfaces that declare settings. */
  private static final List<Class<?>> GROUPS = List.of(JobParams.class, TextParams.class,
      ClassificationParams.class, BidirectionalParams.class, ModelParams.class,
      TrainingLoopParams.class, LanguageModelParams.class, OptimizerParams.class,
      SelectionParams.class, AveragingParams.class, TextColumnParams.class,
      GenerationParams.class, ScoringParams.class, TaggingParams.class,
      TaggingColumnParams.class, Seq2SeqParams.class, Seq2SeqColumnParams.class);

  /** Every setting, each declared once in one of {@link #GROUPS}. */
  public static final List<Setting<?>> ALL = declared();

  private static final Map<String, Setting<?>> BY_CONF_KEY = new LinkedHashMap<>();

  static {
    for (Setting<?> s : ALL) {
      if (s.confKey() != null && BY_CONF_KEY.put(s.confKey(), s) != null) {
        throw new ExceptionInInitializerError("conf key declared twice: " + s.confKey());
      }
    }
  }

  private Settings() {}

  private static List<Setting<?>> declared() {
    List<Setting<?>> all = new ArrayList<>();
    GROUPS.forEach(g -> all.addAll(declaredIn(g)));
    return Collections.unmodifiableList(all);
  }

  /** The settings an interface declares (its static Setting fields). */
  public static List<Setting<?>> declaredIn(Class<?> group) {
    List<Setting<?>> out = new ArrayList<>();
    for (Field f : group.getDeclaredFields()) {
      if (Setting.class.isAssignableFrom(f.getType()) && Modifier.isStatic(f.getModifiers())) {
        try {
          out.add((Setting<?>) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }

  /** The setting read under conf key {@code key}, or null. */
  public static Setting<?> byConfKey(String key) {
    return BY_CONF_KEY.get(key);
  }

  /** The setting of conf key {@code key}; an unknown key fails naming {@code origin}. */
  public static Setting<?> known(String key, String origin) {
    Setting<?> s = BY_CONF_KEY.get(key);
    if (s == null) {
      throw new IllegalArgumentException(origin + ": unknown key '" + key + "'; known keys: "
          + String.join(", ", BY_CONF_KEY.keySet()));
    }
    return s;
  }

  /** Conf keys in declaration order. */
  public static List<String> confKeys() {
    return List.copyOf(BY_CONF_KEY.keySet());
  }

  /** Declares the default of every setting {@code target} has (settings without one stay unset). */
  @SuppressWarnings("unchecked")
  public static void setDefaults(Params target) {
    for (Setting<?> s : ALL) {
      if (s.defaultValue() != null && target.hasParam(s.name())) {
        target.setDefault((Param<Object>) s.param(target), s.defaultValue());
      }
    }
  }

  /**
   * Sets conf key {@code key} to the text {@code value} on {@code target}, which must have its
   * Param. {@code origin} (a file and line, or "--set ...") starts every error message, which
   * reads like the jobs' own: {@code "<origin>: model.hidden = 'x' is invalid: expected an
   * integer in [1, 100000]"}.
   */
  @SuppressWarnings("unchecked")
  public static void bind(Params target, String key, String value, String origin) {
    Setting<Object> s = (Setting<Object>) known(key, origin);
    String problem = s.problem(value);
    if (problem != null) {
      throw new IllegalArgumentException(origin + ": " + key + " = '" + value + "' is invalid: "
          + "expected " + problem);
    }
    if (!target.hasParam(s.name())) {
      throw new IllegalArgumentException(origin + ": " + key + " is not a setting of "
          + target.getClass().getSimpleName());
    }
    target.set((Param<Object>) s.param(target), s.parse(value));
  }

  /** Conf key to text of every setting {@code source} has a value for, in declaration order. */
  @SuppressWarnings("unchecked")
  public static Map<String, String> toConf(Params source) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Setting<?>> e : BY_CONF_KEY.entrySet()) {
      Setting<Object> s = (Setting<Object>) e.getValue();
      if (source.hasParam(s.name()) && source.isDefined(s.param(source))) {
        out.put(e.getKey(), s.format(s.get(source)));
      }
    }
    return out;
  }
}
