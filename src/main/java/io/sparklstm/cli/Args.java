package io.sparklstm.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options of a job: {@code --name value} options, repeatable ones, and flags. */
final class Args {
  private final Map<String, List<String>> values = new HashMap<>();
  private final Set<String> flagsGiven = new java.util.HashSet<>();

  static Args parse(List<String> args, Set<String> options, Set<String> flags) {
    Args a = new Args();
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      if (flags.contains(name)) {
        a.flagsGiven.add(name);
      } else if (options.contains(name)) {
        if (i + 1 >= args.size()) {
          throw new JobConfig.ConfigException("option " + name + " needs a value");
        }
        a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(args.get(++i));
      } else {
        throw new JobConfig.ConfigException("unknown option '" + name + "'; expected one of "
            + options + " or " + flags + " (--help explains them)");
      }
    }
    return a;
  }

  boolean flag(String name) {
    return flagsGiven.contains(name);
  }

  String get(String name, String fallback) {
    List<String> v = values.get(name);
    return v == null ? fallback : v.get(v.size() - 1);
  }

  String required(String name) {
    String v = get(name, null);
    if (v == null) {
      throw new JobConfig.ConfigException("option " + name + " is required (--help explains it)");
    }
    return v;
  }

  List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  int integer(String name, int fallback) {
    long v = longValue(name, fallback);
    if (v != (int) v) {
      throw new JobConfig.ConfigException(name + " expects an integer in [" + Integer.MIN_VALUE
          + ", " + Integer.MAX_VALUE + "], got '" + get(name, null) + "'");
    }
    return (int) v;
  }

  long longValue(String name, long fallback) {
    String v = get(name, null);
    try {
      return v == null ? fallback : Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new JobConfig.ConfigException(name + " expects an integer, got '" + v + "'");
    }
  }

  double number(String name, double fallback) {
    String v = get(name, null);
    try {
      return v == null ? fallback : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new JobConfig.ConfigException(name + " expects a number, got '" + v + "'");
    }
  }
}
