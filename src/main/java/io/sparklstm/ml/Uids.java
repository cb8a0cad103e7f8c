package io.sparklstm.ml;

/**
 * Hands a uid to the Spark superclass constructor of a Java stage. Spark's Scala classes (e.g.
 * {@code ProbabilisticClassifier}) create their Params ({@code featuresCol}, ...) in their
 * constructor, owned by {@code uid()}; a Java subclass cannot assign its uid field before that
 * constructor runs. So its public constructor passes {@code Uids.handOver(uid)} to a private one
 * (arguments are evaluated before the superclass constructor), and {@code uid()} answers
 * {@code Uids.resolve(field)} until the field is set.
 */
final class Uids {
  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  private Uids() {}

  /** A uid on its way to the constructor running next on this thread. */
  static final class Handover {
    private final String uid;

    private Handover(String uid) {
      this.uid = uid;
    }

    /** The uid, once the superclass constructor is done. */
    String take() {
      PENDING.remove();
      return uid;
    }
  }

  static Handover handOver(String uid) {
    if (uid == null || uid.isEmpty()) {
      throw new IllegalArgumentException("a stage needs a non-empty uid");
    }
    PENDING.set(uid);
    return new Handover(uid);
  }

  /** The stage's uid: its field once set, the handed-over uid while it is being constructed. */
  static String resolve(String field) {
    return field != null ? field : PENDING.get();
  }
}
