package io.vaeguard.model.card;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes model cards as JSON. */
public final class ModelCards {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ModelCards() {}

  public static ModelCard read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model card " + file + ": " + e.getMessage(), e);
    }
  }

  public static ModelCard read(InputStream in, String where) throws IOException {
    try {
      return MAPPER.readValue(in, ModelCard.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException(
          "invalid model card " + where + ": " + cause.getMessage(), e);
    }
  }

  public static void write(ModelCard card, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      MAPPER.writeValue(file.toFile(), card);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model card " + file + ": " + e.getMessage(), e);
    }
  }

  public static String toJson(ModelCard card) {
    try {
      return MAPPER.writeValueAsString(card);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
