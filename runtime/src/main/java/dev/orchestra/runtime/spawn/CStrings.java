package dev.orchestra.runtime.spawn;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.Charset;
import java.util.List;

/**
 * Strings as C's {@code char *[]} with a {@code NULL} at the end ({@code argv}, {@code envp}), laid
 * out in one native block: the pointers first, then the strings, each ending in a {@code NUL}.
 * JNA's own {@code StringArray} allocates one block per string, each registered with JNA's cleaner,
 * and reads the array back after every call: for a launch's environment of some 40 variables that
 * was about 2 % of a 1,000-node run's CPU (docs/benchmarks.md). Freed by {@link #close()}; not
 * thread-safe.
 */
final class CStrings implements AutoCloseable {
  private final Memory memory;

  /** {@code strings} encoded in {@code charset}, as the JDK encodes arguments and file names. */
  CStrings(List<String> strings, Charset charset) {
    int count = strings.size();
    byte[][] bytes = new byte[count][];
    long pointers = (long) (count + 1) * Native.POINTER_SIZE;
    long size = pointers;
    for (int i = 0; i < count; i++) {
      bytes[i] = strings.get(i).getBytes(charset);
      size += bytes[i].length + 1;
    }
    memory = new Memory(size);
    long base = Pointer.nativeValue(memory);
    long offset = pointers;
    for (int i = 0; i < count; i++) {
      memory.write(offset, bytes[i], 0, bytes[i].length);
      memory.setByte(offset + bytes[i].length, (byte) 0);
      address(i, base + offset);
      offset += bytes[i].length + 1;
    }
    address(count, 0);
  }

  private void address(int index, long address) {
    if (Native.POINTER_SIZE == 8) {
      memory.setLong((long) index * 8, address);
    } else {
      memory.setInt((long) index * 4, (int) address);
    }
  }

  /** The array, valid until {@link #close()}. */
  Pointer pointer() {
    return memory;
  }

  @Override
  public void close() {
    memory.close();
  }
}
