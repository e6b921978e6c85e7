package io.vaeguard.model.data;

import java.util.List;
import java.util.Objects;

/**
 * How to read a CSV file into a {@link CsvTable}: delimiter, the optional time and label columns,
 * which columns are features, and which data rows to keep.
 *
 * @param delimiter field separator, {@code ','} by default ({@code ';'} for SKAB)
 * @param timeColumn column kept as strings per row, or null
 * @param entityColumn column naming each row's entity (kept as strings per row), or null
 * @param labelColumn column read as 0/1 (a value above 0.5 is 1), or null
 * @param features explicit feature columns in this order; empty selects every numeric column except
 *     {@code exclude}, the time and the label column
 * @param exclude columns left out when {@code features} is empty
 * @param range data rows to keep
 */
public record CsvOptions(
    char delimiter,
    String timeColumn,
    String entityColumn,
    String labelColumn,
    List<String> features,
    List<String> exclude,
    RowRange range) {

  public CsvOptions {
    features = List.copyOf(features);
    exclude = List.copyOf(exclude);
    Objects.requireNonNull(range, "range");
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
      throw new IllegalArgumentException("'" + delimiter + "' cannot be a CSV delimiter");
    }
    if (!features.isEmpty() && !exclude.isEmpty()) {
      throw new IllegalArgumentException(
          "give either explicit features or columns to exclude, not both (features "
              + features
              + ", exclude "
              + exclude
              + ")");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builder with the defaults: ',' delimiter, no time or label column, all numeric columns, all
   * rows.
   */
  public static final class Builder {
    private char delimiter = ',';
    private String timeColumn;
    private String entityColumn;
    private String labelColumn;
    private List<String> features = List.of();
    private List<String> exclude = List.of();
    private RowRange range = RowRange.ALL;

    private Builder() {}

    public Builder delimiter(char delimiter) {
      this.delimiter = delimiter;
      return this;
    }

    public Builder timeColumn(String name) {
      this.timeColumn = name;
      return this;
    }

    public Builder entityColumn(String name) {
      this.entityColumn = name;
      return this;
    }

    public Builder labelColumn(String name) {
      this.labelColumn = name;
      return this;
    }

    public Builder features(List<String> names) {
      this.features = Objects.requireNonNull(names, "features");
      return this;
    }

    public Builder features(String... names) {
      return features(List.of(names));
    }

    public Builder exclude(List<String> names) {
      this.exclude = Objects.requireNonNull(names, "exclude");
      return this;
    }

    public Builder exclude(String... names) {
      return exclude(List.of(names));
    }

    public Builder range(RowRange range) {
      this.range = Objects.requireNonNull(range, "range");
      return this;
    }

    /** {@code FROM:TO} as on the command line, see {@link RowRange#parse}. */
    public Builder range(String spec) {
      return range(RowRange.parse(spec));
    }

    public CsvOptions build() {
      return new CsvOptions(
          delimiter, timeColumn, entityColumn, labelColumn, features, exclude, range);
    }
  }
}
