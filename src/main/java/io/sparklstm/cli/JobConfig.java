package io.sparklstm.cli;

import io.sparklstm.ml.param.JobSettings;
import io.sparklstm.ml.param.Settings;
import io.sparklstm.spark.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job configuration: {@code key = value} lines, {@code #} comments, every key a setting of
 * {@code io.sparklstm.ml.param} (its documentation, default and expected form declared once
 * there), bound into typed {@link JobSettings} by {@link Settings#bind}. Unknown keys and
 * malformed values fail at once, naming the file, line and key, before Spark starts.
 */
public final class JobConfig {
  private final JobSettings settings;

  private JobConfig(JobSettings settings) {
    this.settings = settings;
  }

  /** The defaults, then {@code file} (may be null), then each {@code key=value} override. */
  public static JobConfig load(Path file, List<String> overrides) throws IOException {
    Map<String, String> texts = new HashMap<>();
    Map<String, String> origins = new HashMap<>();
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("configuration file not found: " + file);
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        set(line, file + ":" + (i + 1), texts, origins);
      }
    }
    for (String o : overrides) {
      set(o, "--set " + o, texts, origins);
    }
    return bind(texts, origins, "default");
  }

  private static void set(String assignment, String where, Map<String, String> texts,
      Map<String, String> origins) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException(where + ": expected 'key = value', got '" + assignment + "'");
    }
    String key = assignment.substring(0, eq).strip();
    userError(() -> Settings.known(key, where));
    texts.put(key, assignment.substring(eq + 1).strip());
    origins.put(key, where);
  }

  /**
   * Every key's text bound in declaration order; a key not given keeps its default, or, when it
   * has none (data.train), fails as the empty text from {@code absent}.
   */
  private static JobConfig bind(Map<String, String> texts, Map<String, String> origins,
      String absent) {
    JobSettings s = new JobSettings();
    for (String key : Settings.confKeys()) {
      String text = texts.get(key);
      if (text != null || Settings.known(key, absent).defaultValue() == null) {
        userError(() -> Settings.bind(s, key, text == null ? "" : text,
            origins.getOrDefault(key, absent)));
      }
    }
    userError(s::textTokenizer); // text settings that would be ignored
    return new JobConfig(s);
  }

  /** Runs {@code check}, its IllegalArgumentException reported to the user as it is. */
  private static void userError(Runnable check) {
    try {
      check.run();
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /** The typed settings. */
  public JobSettings settings() {
    return settings;
  }

  /** The task the configuration trains. */
  public Task<?> task() {
    return Task.named(settings.getTask());
  }

  /** Every key with its value as conf text, sorted by key, for checkpoints and reports. */
  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(new TreeMap<>(Settings.toConf(settings)));
  }

  /** A configuration exactly as stored (e.g. read back from a checkpoint), checked again. */
  public static JobConfig of(Map<String, String> stored) {
    for (String key : stored.keySet()) {
      if (Settings.byConfKey(key) == null) {
        throw new ConfigException("checkpoint: unknown key '" + key + "'");
      }
    }
    return bind(stored, Map.of(), "checkpoint");
  }

  /** A configuration problem, reported to the user as it is. */
  public static final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
      super(message);
    }
  }
}
