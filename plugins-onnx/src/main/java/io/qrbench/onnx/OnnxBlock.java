package io.qrbench.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.qrbench.QrbenchException;
import io.qrbench.spi.DeployedBlock;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A classifier run by ONNX Runtime: a DJL block without parameters whose forward pass copies the
 * images into an ONNX Runtime tensor, runs the session and copies the logits back into an array of
 * the images' own manager, so they are freed with the batch like any other block's output. The
 * runtime's tensors and results are closed before {@link #forward} returns. It gives no gradients
 * (see {@link DeployedBlock}).
 */
final class OnnxBlock extends AbstractBlock implements DeployedBlock, AutoCloseable {
  private final OrtSession session;
  private final String inputName;
  private final int classes;
  private final String backend;
  private final OptionalLong macs;
  private volatile boolean closed;

  /**
   * @param session the session, owned from now on by this block
   * @param classes the logits per image the graph returns
   * @param backend what {@link #backend()} says
   * @param macs multiply-accumulates per image, when the file says
   */
  OnnxBlock(OrtSession session, int classes, String backend, OptionalLong macs) {
    this.session = session;
    this.inputName = session.getInputNames().iterator().next();
    this.classes = classes;
    this.backend = backend;
    this.macs = macs;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    if (closed) {
      throw new IllegalStateException(
          "the ONNX Runtime session was released with its model: this block can no longer run");
    }
    NDArray images = inputs.singletonOrThrow();
    Shape shape = images.getShape();
    if (shape.dimension() != 4) {
      throw new IllegalArgumentException("expected images (N, C, H, W), got shape " + shape);
    }
    float[] x = images.toType(DataType.FLOAT32, false).toFloatArray();
    float[] z;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape.getShape());
        OrtSession.Result out = session.run(Map.of(inputName, in))) {
      OnnxValue v = out.get(0);
      if (!(v instanceof OnnxTensor t)) {
        throw new QrbenchException("the ONNX graph's output is not a tensor: " + v.getInfo());
      }
      FloatBuffer fb = t.getFloatBuffer();
      if (fb == null) {
        throw new QrbenchException("the ONNX graph's output is not float32: " + t.getInfo());
      }
      z = new float[fb.remaining()];
      fb.get(z);
    } catch (OrtException e) {
      throw new QrbenchException("ONNX Runtime failed on a batch of shape " + shape + ": " + e, e);
    }
    long n = shape.get(0);
    if (z.length != n * classes) {
      throw new QrbenchException(
          "the ONNX graph returned " + z.length + " values for " + n + " images of " + classes);
    }
    return new NDList(images.getManager().create(z, new Shape(n, classes)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
  }

  @Override
  public String backend() {
    return backend;
  }

  @Override
  public OptionalLong macsPerImage() {
    return macs;
  }

  /** Releases the session; called when the model's manager closes. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.close();
    } catch (OrtException e) {
      throw new QrbenchException("cannot release the ONNX Runtime session: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "OnnxBlock(" + backend + ", " + classes + " classes)";
  }
}
