package io.sparklstm.cli;

import io.sparklstm.io.SavedModel;
import io.sparklstm.ml.param.JobSettings;
import io.sparklstm.nn.LstmNetwork;
import io.sparklstm.nn.Precision;
import io.sparklstm.spark.MemoryBudget;
import io.sparklstm.spark.Task;
import io.sparklstm.train.Sampler;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code generate --model DIR/model --prime TEXT --length N [--temperature T] [--top-k K]
 * [--seed S]}: samples text from a language model, on the driver alone.
 */
final class GenerateJob {
  static final String HELP = """
      Usage: jobs/generate --model DIR/model --prime TEXT --length N [--temperature T]
                           [--top-k K] [--seed S]
        --model       a model directory written by jobs/train (or its model.bin), or a
                      model saved by LstmTextModel.write().save(path)
        --prime       text the sample continues
        --length      tokens to generate
        --temperature softmax temperature (default 1.0; lower is more conservative)
        --top-k       draw only among the K most likely tokens (default 0: all)
        --seed        sampling seed (default 1): the same seed gives the same text""";

  private GenerateJob() {}

  static void run(List<String> argv) throws Exception {
    Args a = Args.parse(argv, Set.of("--model", "--prime", "--length", "--temperature",
        "--top-k", "--seed"), Set.of());
    SavedModel model = readModel(a.required("--model"), new Configuration());
    if (!JobSettings.fromConf(model.config(), a.required("--model")).getTask()
        .equals(Task.LANGUAGE_MODEL.name()) || model.vocabulary() == null) {
      throw new JobConfig.ConfigException("--model " + a.required("--model")
          + " is not a language model; generate needs one");
    }
    long length = a.longValue("--length", 200);
    checkLength(length);
    String prime = a.required("--prime");
    if (Arrays.stream(model.vocabulary().encode(prime)).allMatch(id -> id == 0)) {
      throw new JobConfig.ConfigException("--prime '" + prime + "' holds no token the model "
          + "knows: every " + (model.vocabulary().words() ? "word" : "character") + " of it is "
          + "outside its vocabulary (" + (model.vocabulary().size() - 1) + " tokens of the "
          + "training text)");
    }
    printSample(model, prime, (int) length, a.number("--temperature", 1.0),
        a.integer("--top-k", 0), a.longValue("--seed", 1));
  }

  /**
   * Fails unless a sample of {@code length} tokens fits this JVM's heap: at least 4 bytes per
   * token id and 2 per character of its text, checked before anything is allocated.
   */
  static void checkLength(long length) {
    if (length < 1) {
      throw new JobConfig.ConfigException("--length must be positive: " + length);
    }
    long heap = Runtime.getRuntime().maxMemory();
    double need = length * 6.0;
    if (length > Integer.MAX_VALUE - 8 || need > heap) {
      throw new JobConfig.ConfigException(String.format(Locale.ROOT, "--length %d is too long:"
          + " the sample needs at least %s of heap (4 bytes per token and 2 per character of "
          + "its text) and this JVM has %s; ask for fewer tokens (at most %,d in one sample) or"
          + " give the driver more memory: %s", length, MemoryBudget.size(need),
          MemoryBudget.size(heap), Math.min(Integer.MAX_VALUE - 8, heap / 6),
          MemoryBudget.DRIVER_MEMORY));
    }
  }

  static void printSample(SavedModel model, String prime, int length, double temperature,
      int topK, long seed) {
    LstmNetwork net = network(model, 1, 1);
    int[] ids = Sampler.sample(net, model.vocabulary().encode(prime), length, temperature, topK,
        seed);
    System.out.println("---- sample (temperature " + temperature + ", seed " + seed + ") ----");
    System.out.println(prime + model.vocabulary().decode(ids, 0, ids.length));
    System.out.println("----");
  }

  static LstmNetwork network(SavedModel model, int batch, int steps) {
    LstmNetwork net = new LstmNetwork(model.spec(), Precision.FLOAT, batch, steps);
    net.params().setAll(model.state().model().params());
    return net;
  }

  /**
   * The one loader of {@code --model} (evaluate, generate, export): a run's model directory, a
   * model file itself, or a stage saved by {@code model.write().save(path)} (its
   * {@code data/model.bin}).
   */
  static SavedModel readModel(String path, Configuration conf) throws IOException {
    Path given = new Path(path);
    FileSystem fs = given.getFileSystem(conf);
    if (fs.isFile(given)) {
      return SavedModel.read(path, conf); // which says so if it is no model
    }
    for (String inside : new String[] {"model.bin", "data/model.bin"}) {
      if (fs.isFile(new Path(given, inside))) {
        return SavedModel.read(path + "/" + inside, conf);
      }
    }
    if (fs.isFile(new Path(given, "model/model.bin"))) {
      throw new JobConfig.ConfigException("--model " + path + " is a run directory; pass "
          + path + "/model");
    }
    throw new JobConfig.ConfigException("--model " + path + ": no model there; expected a "
        + "run's model directory (DIR/model), a model file, or a saved spark.ml stage");
  }
}
