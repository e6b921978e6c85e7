package io.vaeguard.pipeline.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.function.ToLongFunction;

/**
 * One setting of the job, typed: its key (as in a config file), the flag made from it, how its text
 * becomes a value of type {@code T} and which values it takes, a default, and the description that
 * {@code --help} and the README's settings table print. {@link JobOptions} defines them all; {@link
 * JobConfig} parses every value once, when it is built.
 *
 * <p>Defined the way Flink's {@code ConfigOptions} are ({@code
 * key(..).intType().defaultValue(..)}), but not with Flink's {@code ConfigOption}: that class keeps
 * the value's type to itself ({@code getClazz()} is package-private), so neither {@code --help} nor
 * the README table could tell a number from a word; its parser has no ranges (positive, [0,1)),
 * matches enum constants by their Java names rather than the ids users write ({@code
 * exactly-once}), and says "Could not parse value 'x' for key 'k'" where ours says what is allowed;
 * and it is not serializable, as {@link JobConfig} must be. Wrapping it would have kept every one
 * of those parts here anyway.
 *
 * @param <T> the value's type
 */
public final class JobOption<T> {

  private final String key;
  private final Class<T> type;
  private final Function<String, T>
      parser; // trimmed text to value; an IllegalArgumentException says why not
  private final Function<T, String> formatter;
  private final List<Check<T>> checks;
  private final boolean numeric;
  private final T defaultValue; // null: none
  private final String description;

  private JobOption(Typed<T> t, T defaultValue, String description) {
    this.key = t.key;
    this.type = t.type;
    this.parser = t.parser;
    this.formatter = t.formatter;
    this.checks = List.copyOf(t.checks);
    this.numeric = t.asLong != null;
    this.defaultValue = defaultValue;
    this.description = Objects.requireNonNull(description, "description");
  }

  /** Starts an option's definition, as Flink's {@code ConfigOptions.key}. */
  public static Key key(String key) {
    return new Key(key);
  }

  public String key() {
    return key;
  }

  /** The command-line flag: {@code --} and the key with dots as dashes. */
  public String flag() {
    return "--" + key.replace('.', '-');
  }

  public Class<T> type() {
    return type;
  }

  /** The default, or null where the option has none (an empty value means "none" too). */
  public T defaultValue() {
    return defaultValue;
  }

  /** The default as it is written in a config file; empty for none. */
  public String defaultText() {
    return defaultValue == null ? "" : formatter.apply(defaultValue);
  }

  /** One sentence for {@code --help} and the README. */
  public String description() {
    return description;
  }

  /** The description with the default, as {@code --help} shows it. */
  public String helpText() {
    return description + " (default: " + (defaultValue == null ? "none" : defaultText()) + ")";
  }

  /** A flag's value placeholder: N for numbers, else the last part of the key in capitals. */
  public String paramLabel() {
    return numeric ? "N" : key.substring(key.lastIndexOf('.') + 1).toUpperCase(Locale.ROOT);
  }

  /**
   * The value of {@code text} (surrounding blanks ignored); an empty text is null ("none") for an
   * option without a default.
   *
   * @param name the key or flag the text came from, named in the message
   * @throws InvalidValue naming {@code name}, the text and what is allowed
   */
  public T parse(String text, String name) {
    String t = text == null ? "" : text.trim();
    if (t.isEmpty() && defaultValue == null) {
      return null;
    }
    T value;
    try {
      value = parser.apply(t);
    } catch (IllegalArgumentException e) {
      throw new InvalidValue(this, name, e.getMessage());
    }
    for (Check<T> c : checks) {
      if (!c.ok(value)) {
        throw new InvalidValue(this, name, " " + c.rule() + ", got " + t);
      }
    }
    return value;
  }

  /** {@link #parse(String, String)} naming the key. */
  public T parse(String text) {
    return parse(text, key);
  }

  /** The value as a config file or a flag writes it. */
  public String format(T value) {
    return value == null ? "" : formatter.apply(value);
  }

  @Override
  public String toString() {
    return key;
  }

  /**
   * A value an option refuses: the message is the key or flag the value came from, then what is
   * wrong with it (e.g. {@code scoring.batch-size must be positive, got 0}).
   */
  public static final class InvalidValue extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient JobOption<?> option;

    InvalidValue(JobOption<?> option, String name, String problem) {
      super(name + problem);
      this.option = option;
    }

    public JobOption<?> option() {
      return option;
    }
  }

  /** An option's key, waiting for its type. */
  public static final class Key {
    private final String key;

    private Key(String key) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("an option needs a key");
      }
      this.key = key;
    }

    /** Text as given (trimmed). */
    public Typed<String> stringType() {
      return new Typed<>(key, String.class, s -> s, s -> s, null);
    }

    /** A whole number. */
    public Typed<Integer> intType() {
      return new Typed<>(
          key,
          Integer.class,
          s -> {
            try {
              return Integer.parseInt(s);
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException(": '" + s + "' is not a whole number");
            }
          },
          String::valueOf,
          Integer::longValue);
    }

    /** A duration written as a whole number of milliseconds (the key says so: {@code ...-ms}). */
    public Typed<Duration> millisType() {
      return new Typed<>(
          key,
          Duration.class,
          s -> {
            try {
              return Duration.ofMillis(Long.parseLong(s));
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException(": '" + s + "' is not a whole number");
            }
          },
          d -> String.valueOf(d.toMillis()),
          Duration::toMillis);
    }

    /** A number in {@code [min, max)}. */
    public Typed<Double> doubleType(double min, double max) {
      String range = "[" + format(min) + "," + format(max) + ")";
      return new Typed<>(
          key,
          Double.class,
          s -> {
            try {
              double d = Double.parseDouble(s);
              if (d >= min && d < max) {
                return d;
              }
            } catch (NumberFormatException e) {
              // the same message as a number out of range
            }
            throw new IllegalArgumentException(": '" + s + "' is not a number in " + range);
          },
          String::valueOf,
          null);
    }

    /**
     * One of an enum's constants, written as {@code id} gives it (case and {@code _} for {@code -}
     * do not matter); anything else is refused with the ids allowed.
     */
    public <E extends Enum<E>> Typed<E> enumType(Class<E> type, Function<E, String> id) {
      List<String> ids = new ArrayList<>();
      for (E e : type.getEnumConstants()) {
        ids.add(id.apply(e));
      }
      return new Typed<>(
          key,
          type,
          s -> {
            String t = s.toLowerCase(Locale.ROOT).replace('_', '-');
            for (E e : type.getEnumConstants()) {
              if (id.apply(e).equals(t)) {
                return e;
              }
            }
            throw new IllegalArgumentException(
                ": '" + s + "' is not one of " + String.join(", ", ids));
          },
          id,
          null);
    }

    /**
     * Any type, parsed by {@code parse}; its {@link IllegalArgumentException}'s message follows
     * {@code "KEY: "} in the option's error.
     */
    public <V> Typed<V> type(Class<V> type, Function<String, V> parse, Function<V, String> format) {
      return new Typed<>(
          key,
          type,
          s -> {
            try {
              return parse.apply(s);
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(": " + e.getMessage(), e);
            }
          },
          format,
          null);
    }

    private static String format(double d) {
      return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
  }

  /** An option's key and type, waiting for checks, a default and a description. */
  public static final class Typed<T> {
    private final String key;
    private final Class<T> type;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;
    private final ToLongFunction<T> asLong; // numbers only, for positive() and nonNegative()
    private final List<Check<T>> checks = new ArrayList<>();
    private T defaultValue;

    private Typed(
        String key,
        Class<T> type,
        Function<String, T> parser,
        Function<T, String> formatter,
        ToLongFunction<T> asLong) {
      this.key = key;
      this.type = type;
      this.parser = parser;
      this.formatter = formatter;
      this.asLong = asLong;
    }

    /** Refuses values that {@code ok} refuses: "KEY RULE, got TEXT". */
    public Typed<T> check(java.util.function.Predicate<T> ok, String rule) {
      checks.add(new Check<>(ok, rule));
      return this;
    }

    /** Numbers above 0. */
    public Typed<T> positive() {
      return number(v -> v > 0, "must be positive");
    }

    /** Numbers of 0 and above. */
    public Typed<T> nonNegative() {
      return number(v -> v >= 0, "must not be negative");
    }

    private Typed<T> number(LongPredicate ok, String rule) {
      if (asLong == null) {
        throw new IllegalStateException(key + " is not a whole number or a duration");
      }
      return check(v -> ok.test(asLong.applyAsLong(v)), rule);
    }

    public Typed<T> defaultValue(T value) {
      this.defaultValue = Objects.requireNonNull(value, "default value (use noDefaultValue())");
      return this;
    }

    /** Empty, or not given, means "none": the value is null. */
    public Typed<T> noDefaultValue() {
      this.defaultValue = null;
      return this;
    }

    public JobOption<T> withDescription(String description) {
      JobOption<T> option = new JobOption<>(this, defaultValue, description);
      if (defaultValue != null) {
        option.parse(option.defaultText()); // a default that its own checks refuse is a bug here
      }
      return option;
    }
  }

  private record Check<T>(java.util.function.Predicate<T> test, String rule) {
    boolean ok(T value) {
      return test.test(value);
    }
  }
}
