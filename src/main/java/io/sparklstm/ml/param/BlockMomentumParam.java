package io.sparklstm.ml.param;

import io.sparklstm.optim.BlockMomentum;
import org.apache.spark.ml.param.Param;
import scala.Function1;

/**
 * The Param of a {@link BlockMomentum}, stored in saved metadata as JSON {@code "auto"}, {@code
 * "sqrt"} or a number, like {@code average.block.momentum} in conf files.
 */
public final class BlockMomentumParam extends Param<BlockMomentum> {
  public BlockMomentumParam(String parent, String name, String doc,
      Function1<BlockMomentum, Object> isValid) {
    super(parent, name, doc, isValid);
  }

  @Override
  public String jsonEncode(BlockMomentum value) {
    return value instanceof BlockMomentum.Fixed f ? Double.toString(f.value())
        : "\"" + value + "\"";
  }

  @Override
  public BlockMomentum jsonDecode(String json) {
    String text = json.strip();
    boolean quoted = text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"");
    BlockMomentum m = quoted ? BlockMomentum.parseOrNull(text.substring(1, text.length() - 1))
        : BlockMomentum.parseOrNull(text);
    if (m == null || quoted != !(m instanceof BlockMomentum.Fixed)) {
      throw new IllegalArgumentException("block momentum " + json + " is neither \"auto\", "
          + "\"sqrt\" nor a number in [0, 1)");
    }
    return m;
  }
}
