package io.qrbench.testing;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Frees every unreachable direct buffer, then fills fresh ones of the sizes DJL uses for scalars
 * and small arrays with 0x7f bytes (3.4e38 as a float), so a tensor still pointing into a freed
 * buffer reads garbage instead of the value it had.
 */
public final class FreedDirectMemory {
  private FreedDirectMemory() {}

  /** Returns the filled buffers: keep them reachable until the code under test has read memory. */
  public static List<ByteBuffer> overwrite() {
    BufferPoolMXBean direct =
        ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(b -> b.getName().equals("direct"))
            .findFirst()
            .orElseThrow();
    long before;
    do {
      before = direct.getCount();
      fullCollection();
    } while (direct.getCount() < before);
    List<ByteBuffer> keep = new ArrayList<>();
    for (int size = 4; size <= 4096; size *= 2) {
      for (int k = 0; k < 32; k++) {
        ByteBuffer b = ByteBuffer.allocateDirect(size);
        while (b.hasRemaining()) {
          b.put((byte) 0x7f);
        }
        keep.add(b);
      }
    }
    return keep;
  }

  /**
   * A full collection that returns once the reference handler has run the direct buffers' cleaners.
   */
  private static void fullCollection() {
    ReferenceQueue<Object> queue = new ReferenceQueue<>();
    PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), queue);
    try {
      do {
        System.gc();
      } while (queue.remove(1_000) == null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Reference.reachabilityFence(sentinel);
  }
}
