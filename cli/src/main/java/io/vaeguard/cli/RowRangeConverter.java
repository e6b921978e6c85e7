package io.vaeguard.cli;

import io.vaeguard.model.data.RowRange;
import picocli.CommandLine;

/**
 * Parses {@code --rows FROM:TO} with the command line, so a malformed range is reported with its
 * flag.
 */
final class RowRangeConverter implements CommandLine.ITypeConverter<RowRange> {

  @Override
  public RowRange convert(String value) {
    try {
      return RowRange.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
