package io.sparklstm.spark;

import io.sparklstm.data.Example;
import io.sparklstm.data.IdxReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * MNIST-format IDX image and label files from Hadoop paths, read on the executors (never on the
 * driver) into row-sequence examples in file order: image i becomes rows x cols steps x
 * features with label i. Labels outside {@code [0, classes)} fail with the file and index.
 */
public final class IdxSource {
  private IdxSource() {}

  public static JavaRDD<Example> examples(JavaSparkContext sc, String images, String labels,
      int classes, int partitions) {
    JavaPairRDD<Long, float[]> imgs = sc.binaryFiles(images).flatMapToPair(f -> {
      IdxReader.ImageSet set = IdxReader.readImages(f._2.open(), f._1);
      List<Tuple2<Long, float[]>> out = new ArrayList<>(set.images().size());
      long i = 0;
      for (float[] img : set.images()) {
        float[] withWidth = new float[img.length + 1];
        withWidth[0] = set.cols();
        System.arraycopy(img, 0, withWidth, 1, img.length);
        out.add(new Tuple2<>(i++, withWidth));
      }
      return out.iterator();
    });
    JavaPairRDD<Long, Integer> labs = sc.binaryFiles(labels).flatMapToPair(f -> {
      int[] values = IdxReader.readLabels(f._2.open(), f._1);
      List<Tuple2<Long, Integer>> out = new ArrayList<>(values.length);
      for (int i = 0; i < values.length; i++) {
        if (values[i] >= classes) {
          throw new IllegalArgumentException("label " + values[i] + " at index " + i + " of "
              + f._1 + " is outside [0, " + classes + ")");
        }
        out.add(new Tuple2<>((long) i, values[i]));
      }
      return out.iterator();
    });
    long imageCount = imgs.count();
    long labelCount = labs.count();
    if (imageCount != labelCount || imageCount == 0) {
      throw new IllegalArgumentException(images + " holds " + imageCount + " images and "
          + labels + " " + labelCount + " labels; expected the same, non-zero count");
    }
    return imgs.join(labs, partitions).sortByKey(true, partitions).values().map(t -> {
      float[] withWidth = t._1;
      float[] pixels = new float[withWidth.length - 1];
      System.arraycopy(withWidth, 1, pixels, 0, pixels.length);
      return Example.ofFeatures(pixels, (int) withWidth[0], t._2);
    });
  }
}
