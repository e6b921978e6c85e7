package io.vaeguard.local.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports on 127.0.0.1, where every listener of a local child binds. */
public final class LoopbackPorts {
  public static final String HOST = "127.0.0.1";

  private LoopbackPorts() {}

  /** Whether a listener could bind {@code 127.0.0.1:port} now. */
  public static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The one-line error for a taken port, naming the option that picks another. */
  public static String inUse(int port, String flag) {
    return "port " + port + " on " + HOST + " is in use; pick another with " + flag
        + " or stop what holds it";
  }

  /** {@code port} when it is 0 (pick a free one) or 1-65535; else IllegalArgumentException. */
  public static int check(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "port must be 0 (pick a free one) or 1-65535, got " + port);
    }
    return port;
  }
}
