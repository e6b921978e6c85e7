package io.vaeguard.bench.pipeline;

import java.util.Arrays;

/** A growing array of longs: a latency sample without boxing. */
final class LongList {
  private long[] values = new long[1 << 16];
  private int size;

  void add(long v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = v;
  }

  long[] values() {
    return values;
  }

  int size() {
    return size;
  }
}
