package io.sparklstm.ml.param;

import java.util.Map;
import org.apache.spark.ml.param.JavaParams;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;

/**
 * Every conf-file setting of a training job as spark.ml Params: what a job reads from its conf
 * file ({@link #fromConf}) and hands to the estimator of its task with
 * {@code settings.copyValues(estimator, ParamMap.empty())}, which copies the Params of the same
 * names.
 */
public final class JobSettings extends JavaParams
    implements EstimatorSetters<JobSettings>, ClassificationParams, LanguageModelParams,
    JobParams, TaggingParams, SelectionParams, Seq2SeqParams {
  private final String uid;

  public JobSettings() {
    this(Identifiable.randomUID("jobSettings"));
  }

  public JobSettings(String uid) {
    this.uid = uid;
    Settings.setDefaults(this);
  }

  /** Settings from {@code key = value} texts; {@code origin} starts every error message. */
  public static JobSettings fromConf(Map<String, String> conf, String origin) {
    JobSettings s = new JobSettings();
    conf.forEach((k, v) -> Settings.bind(s, k, v, origin));
    return s;
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public JobSettings copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
