package io.sparklstm.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job configuration: {@code key = value} lines, {@code #} comments, every key declared in
 * {@link JobKeys} with its documentation, default and expected form. Unknown keys and malformed
 * values fail at once, naming the file, line and key, before Spark starts.
 */
public final class JobConfig {
  private final Map<String, String> values = new TreeMap<>();
  private final Map<String, String> origins = new LinkedHashMap<>();

  private JobConfig() {}

  /** The defaults, then {@code file} (may be null), then each {@code key=value} override. */
  public static JobConfig load(Path file, List<String> overrides) throws IOException {
    JobConfig c = new JobConfig();
    for (JobKeys.Key k : JobKeys.ALL.values()) {
      c.values.put(k.name(), k.defaultValue());
      c.origins.put(k.name(), "default");
    }
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
        c.set(line, file + ":" + (i + 1));
      }
    }
    for (String o : overrides) {
      c.set(o, "--set " + o);
    }
    for (JobKeys.Key k : JobKeys.ALL.values()) {
      c.check(k);
    }
    return c;
  }

  private void set(String assignment, String where) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException(where + ": expected 'key = value', got '" + assignment + "'");
    }
    String key = assignment.substring(0, eq).strip();
    String value = assignment.substring(eq + 1).strip();
    if (!JobKeys.ALL.containsKey(key)) {
      throw new ConfigException(where + ": unknown key '" + key + "'; known keys: "
          + String.join(", ", JobKeys.ALL.keySet()));
    }
    values.put(key, value);
    origins.put(key, where);
  }

  private void check(JobKeys.Key k) {
    String v = values.get(k.name());
    String problem = k.type().problem(v);
    if (problem != null) {
      throw new ConfigException(origins.get(k.name()) + ": " + k.name() + " = '" + v + "' is "
          + "invalid: expected " + problem);
    }
  }

  public String string(String key) {
    JobKeys.require(key);
    return values.get(key);
  }

  public int integer(String key) {
    return Integer.parseInt(string(key));
  }

  public long longValue(String key) {
    return Long.parseLong(string(key));
  }

  public double number(String key) {
    return Double.parseDouble(string(key));
  }

  public boolean flag(String key) {
    return Boolean.parseBoolean(string(key));
  }

  /** Every key with its value, for checkpoints and reports. */
  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(values);
  }

  /** A configuration exactly as stored (e.g. read back from a checkpoint), checked again. */
  public static JobConfig of(Map<String, String> stored) {
    JobConfig c = new JobConfig();
    for (JobKeys.Key k : JobKeys.ALL.values()) {
      c.values.put(k.name(), stored.getOrDefault(k.name(), k.defaultValue()));
      c.origins.put(k.name(), "checkpoint");
    }
    for (Map.Entry<String, String> e : stored.entrySet()) {
      if (!JobKeys.ALL.containsKey(e.getKey())) {
        throw new ConfigException("checkpoint: unknown key '" + e.getKey() + "'");
      }
    }
    for (JobKeys.Key k : JobKeys.ALL.values()) {
      c.check(k);
    }
    return c;
  }

  /** A configuration problem, reported to the user as it is. */
  public static final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
      super(message);
    }
  }
}
