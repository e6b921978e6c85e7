package io.vaeguard.local.process;

import java.util.Objects;

/**
 * A port on 127.0.0.1 with the command-line flag that sets it: what a launcher asks for, and what
 * its error names when the port is taken.
 *
 * @param port 1-65535, or 0 for one the system picks
 * @param flag the option that picks another, e.g. {@code --port}
 */
public record FlaggedPort(int port, String flag) {

  public FlaggedPort {
    LoopbackPorts.check(port);
    Objects.requireNonNull(flag, "flag");
  }

  /** The one-line error for this port being taken. */
  public String inUse() {
    return LoopbackPorts.inUse(port, flag);
  }
}
