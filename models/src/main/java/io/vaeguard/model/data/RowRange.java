package io.vaeguard.model.data;

import java.util.OptionalInt;

/**
 * A half-open range of 0-based data-row indices, {@code FROM:TO}; either side may be left out
 * ({@code "400:"}, {@code ":400"}, {@code ":"}). The end is clipped to the rows a file has, so
 * {@code ":400"} means "the first 400 rows, or all if fewer".
 */
public record RowRange(OptionalInt from, OptionalInt to) {

  public static final RowRange ALL = new RowRange(OptionalInt.empty(), OptionalInt.empty());

  public RowRange {
    if (from.isPresent() && from.getAsInt() < 0 || to.isPresent() && to.getAsInt() < 0) {
      throw new IllegalArgumentException("row range bounds must be >= 0, got " + show(from, to));
    }
    if (from.isPresent() && to.isPresent() && from.getAsInt() >= to.getAsInt()) {
      throw new IllegalArgumentException(
          "row range " + show(from, to) + " is empty: FROM must be below TO");
    }
  }

  /** Parses {@code FROM:TO}, {@code FROM:}, {@code :TO} or {@code :}. */
  public static RowRange parse(String spec) {
    String s = spec.trim();
    int colon = s.indexOf(':');
    if (colon < 0 || colon != s.lastIndexOf(':')) {
      throw new IllegalArgumentException(
          "row range '"
              + spec
              + "' must look like FROM:TO, FROM: or :TO (0-based data rows, TO excluded)");
    }
    return new RowRange(bound(s.substring(0, colon), spec), bound(s.substring(colon + 1), spec));
  }

  private static OptionalInt bound(String text, String spec) {
    String t = text.trim();
    if (t.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "row range '"
              + spec
              + "': '"
              + t
              + "' is not a row index (FROM:TO, 0-based, TO excluded)");
    }
  }

  /** First selected row of a file with {@code rows} data rows. */
  public int start(int rows) {
    return Math.min(from.orElse(0), rows);
  }

  /** One past the last selected row of a file with {@code rows} data rows. */
  public int end(int rows) {
    return Math.min(to.orElse(rows), rows);
  }

  @Override
  public String toString() {
    return show(from, to);
  }

  private static String show(OptionalInt from, OptionalInt to) {
    return (from.isPresent() ? String.valueOf(from.getAsInt()) : "")
        + ":"
        + (to.isPresent() ? String.valueOf(to.getAsInt()) : "");
  }
}
