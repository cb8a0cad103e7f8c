package io.sparklstm.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A flat vector in off-heap memory owned by an ND4J array, read and written element-wise from
 * Java (through a direct NIO view) and handed to BLAS by address. Every buffer of the engine is
 * one of these: allocated once, never resized, so a training step allocates nothing.
 *
 * <p>Element access goes through {@code double}: the float variant rounds on store. In a float
 * run only {@link F32} is loaded, so the JIT inlines these calls.
 */
public abstract sealed class Vec permits Vec.F32, Vec.F64 {
  /**
   * BLAS operand roles: one reusable pointer per role, so A and C may share a buffer; and a set
   * per half of a product that two threads compute at once ({@link Blas}), as positioning a
   * shared pointer from two threads would hand one of them the other's offset.
   */
  static final int ROLE_A = 0;
  static final int ROLE_B = 1;
  static final int ROLE_C = 2;
  /** Roles of one set; set h's role r is {@code h * ROLES + r}. */
  static final int ROLES = 3;

  private final INDArray array;
  private final int size;

  private Vec(INDArray array, int size) {
    this.array = array;
    this.size = size;
  }

  /** A zero-filled vector of {@code n} elements. */
  public static Vec allocate(Precision precision, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("vector size must not be negative: " + n);
    }
    INDArray a = Nd4j.create(precision.dataType, Math.max(n, 1));
    return precision == Precision.FLOAT ? new F32(a, n) : new F64(a, n);
  }

  public final int size() {
    return size;
  }

  /** The ND4J array that owns the memory (length may be 1 for an empty vector). */
  public final INDArray array() {
    return array;
  }

  public abstract Precision precision();

  public abstract double get(int i);

  public abstract void set(int i, double v);

  public final void add(int i, double v) {
    set(i, get(i) + v);
  }

  public final void fill(double v) {
    fill(0, size, v);
  }

  public final void fill(int from, int n, double v) {
    // float: the first elements one by one, then copies of what is filled, in bulk (zeroing a
    // character model's gradient every step element by element took ~0.5% of the step)
    int single = this instanceof F32 ? Math.min(n, 256) : n;
    for (int i = from; i < from + single; i++) {
      set(i, v);
    }
    for (int done = single; done < n; done *= 2) {
      FloatBuffer b = ((F32) this).buf;
      b.put(from + done, b, from, Math.min(done, n - done));
    }
  }

  /** Copies {@code n} elements to {@code dst} (any precision; between floats, in bulk). */
  public final void copyTo(int from, Vec dst, int to, int n) {
    if (this instanceof F32 a && dst instanceof F32 b) {
      b.buf.put(to, a.buf, from, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      dst.set(to + i, get(from + i));
    }
  }

  /** {@code this[to..] += src[from..]} over {@code n} elements. */
  public final void addFrom(Vec src, int from, int to, int n) {
    int done = 0;
    if (Simd.ENABLED && this instanceof F32 a && src instanceof F32 b) {
      done = SimdKernels.add(a.bytes, to, b.bytes, from, n);
    }
    for (int i = done; i < n; i++) {
      set(to + i, get(to + i) + src.get(from + i));
    }
  }

  /** Whether vector kernels can run in this JVM (see {@link Simd}). */
  public static boolean simd() {
    return Simd.ENABLED;
  }

  /** Copies {@code n} elements from {@code from} into {@code dst[at..]} (float vectors only). */
  final void readInto(int from, float[] dst, int at, int n) {
    ((F32) this).buf.get(from, dst, at, n);
  }

  /** Copies {@code n} elements of {@code src[at..]} into this at {@code to} (float vectors only). */
  final void writeFrom(float[] src, int at, int to, int n) {
    ((F32) this).buf.put(to, src, at, n);
  }

  /**
   * The native-order byte view of a float vector, for vector kernels; null for double. Writes
   * through it are writes to the vector.
   */
  public final java.nio.ByteBuffer bytes() {
    return this instanceof F32 f ? f.bytes : null;
  }

  public final double[] toDoubleArray() {
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = get(i);
    }
    return out;
  }

  public final float[] toFloatArray() {
    float[] out = new float[size];
    for (int i = 0; i < size; i++) {
      out[i] = (float) get(i);
    }
    return out;
  }

  public final void setAll(float[] values) {
    checkLength(values.length);
    for (int i = 0; i < size; i++) {
      set(i, values[i]);
    }
  }

  public final void setAll(double[] values) {
    checkLength(values.length);
    for (int i = 0; i < size; i++) {
      set(i, values[i]);
    }
  }

  private void checkLength(int n) {
    if (n != size) {
      throw new IllegalArgumentException("expected " + size + " values, got " + n);
    }
  }

  /**
   * The memory at element {@code offset}, as the pointer reserved for one BLAS operand role
   * (of set 0 or 1, see {@link #ROLES}).
   */
  abstract Pointer at(int role, int offset);

  /** Single precision. */
  static final class F32 extends Vec {
    private final FloatBuffer buf;
    private final java.nio.ByteBuffer bytes;
    private final FloatPointer[] roles = new FloatPointer[2 * ROLES];

    F32(INDArray a, int n) {
      super(a, n);
      FloatPointer base = new FloatPointer(a.data().addressPointer());
      base.capacity(a.length());
      this.buf = base.asBuffer();
      this.bytes = base.asByteBuffer().order(java.nio.ByteOrder.nativeOrder());
      for (int r = 0; r < roles.length; r++) {
        roles[r] = new FloatPointer(base);
      }
    }

    @Override
    public Precision precision() {
      return Precision.FLOAT;
    }

    @Override
    public double get(int i) {
      return buf.get(i);
    }

    @Override
    public void set(int i, double v) {
      buf.put(i, (float) v);
    }

    @Override
    Pointer at(int role, int offset) {
      return roles[role].position(offset);
    }
  }

  /** Double precision, for gradient checks. */
  static final class F64 extends Vec {
    private final DoubleBuffer buf;
    private final DoublePointer[] roles = new DoublePointer[2 * ROLES];

    F64(INDArray a, int n) {
      super(a, n);
      DoublePointer base = new DoublePointer(a.data().addressPointer());
      base.capacity(a.length());
      this.buf = base.asBuffer();
      for (int r = 0; r < roles.length; r++) {
        roles[r] = new DoublePointer(base);
      }
    }

    @Override
    public Precision precision() {
      return Precision.DOUBLE;
    }

    @Override
    public double get(int i) {
      return buf.get(i);
    }

    @Override
    public void set(int i, double v) {
      buf.put(i, v);
    }

    @Override
    Pointer at(int role, int offset) {
      return roles[role].position(offset);
    }
  }
}
