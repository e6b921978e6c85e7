package io.vaeguard.model.data;

/**
 * Input data that cannot be used as given. The message is one line that names the file and, where
 * there is one, the line (1-based, the header is line 1) and column, so a user can fix the data.
 */
public class DataException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
