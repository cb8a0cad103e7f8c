package io.sparklstm.cli;

import io.sparklstm.io.HadoopFiles;
import io.sparklstm.io.Safetensors;
import io.sparklstm.io.SavedModel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code export --model DIR/model --out FILE.safetensors [--overwrite]}: PyTorch-loadable
 * weights.
 */
final class ExportJob {
  static final String HELP = """
      Usage: jobs/export --model DIR/model --out FILE.safetensors [--overwrite]
        Writes the weights with PyTorch nn.Embedding / nn.LSTM / nn.Linear names and layouts
        (see io.sparklstm.io.Safetensors), loadable with load_state_dict.
        --overwrite replace an existing --out file (never a model or checkpoint)""";

  private ExportJob() {}

  static void run(List<String> argv) throws Exception {
    Args a = Args.parse(argv, Set.of("--model", "--out"), Set.of("--overwrite"));
    Configuration conf = new Configuration();
    String out = a.required("--out");
    // The model first: a wrong --model must not leave --out's new parent directories behind.
    SavedModel model = GenerateJob.readModel(a.required("--model"), conf);
    HadoopFiles.checkOutputFile("--out", out, a.flag("--overwrite"), conf);
    Map<String, Safetensors.Tensor> tensors = Safetensors.stateDict(model.spec(),
        model.state().model().params());
    HadoopFiles.writeAtomically(out, Safetensors.write(tensors,
        Safetensors.metadata(model.spec(), model.vocabulary(), model.tags())),
        conf);
    System.out.println("Wrote " + tensors.size() + " tensors to " + out);
  }
}
