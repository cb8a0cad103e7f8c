package io.sparklstm.ml;

import java.util.Arrays;
import org.apache.spark.ml.classification.ProbabilisticClassifierParams;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/** The columns a probabilistic classifier adds, as spark.ml's own classifiers add them. */
final class ClassificationColumns {
  private ClassificationColumns() {}

  /**
   * {@code schema} with rawPrediction and probability (vectors) and prediction (double), each
   * unless its name is empty; when fitting, the label column must be numeric.
   */
  static StructType append(StructType schema, ProbabilisticClassifierParams p, boolean fitting) {
    if (fitting) {
      String label = p.getLabelCol();
      if (!Arrays.asList(schema.fieldNames()).contains(label)
          || !(schema.apply(label).dataType() instanceof NumericType)) {
        throw new IllegalArgumentException("label column '" + label + "' must exist and be "
            + "numeric (StringIndexer turns string labels into class ids)");
      }
    }
    StructType out = add(schema, p.getRawPredictionCol(), SQLDataTypes.VectorType());
    out = add(out, p.getProbabilityCol(), SQLDataTypes.VectorType());
    return add(out, p.getPredictionCol(), DataTypes.DoubleType);
  }

  static StructType add(StructType schema, String name, DataType type) {
    if (name.isEmpty()) {
      return schema;
    }
    if (Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException("output column '" + name + "' already exists");
    }
    return schema.add(name, type, false);
  }
}
