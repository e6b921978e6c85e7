package io.vaeguard.local.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

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

  /** Whether something accepts connections on {@code 127.0.0.1:port} now (within 250 ms). */
  public static boolean canConnect(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), 250);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The one-line error for a taken port, naming the option that picks another. */
  public static String inUse(int port, String flag) {
    return "port "
        + port
        + " on "
        + HOST
        + " is in use; pick another with "
        + flag
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

  /**
   * The ports a launcher's children listen on, in the order asked: a port asked for as it is, once
   * it is checked free; for each 0 one the system picks. Those are picked while all are held, so no
   * two are alike.
   *
   * @param error the launcher's exception for a message and its cause (null when there is none)
   * @throws RuntimeException from {@code error}: {@link FlaggedPort#inUse()} for the first port
   *     asked for that is taken
   */
  public static int[] choose(
      BiFunction<String, Throwable, ? extends RuntimeException> error, FlaggedPort... wanted) {
    for (FlaggedPort w : wanted) {
      if (w.port() != 0 && !isFree(w.port())) {
        throw error.apply(w.inUse(), null);
      }
    }
    int[] ports = new int[wanted.length];
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < wanted.length; i++) {
        if (wanted[i].port() != 0) {
          ports[i] = wanted[i].port();
        } else {
          ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST));
          held.add(s);
          ports[i] = s.getLocalPort();
        }
      }
      return ports;
    } catch (IOException e) {
      throw error.apply("cannot find a free port on " + HOST + ": " + e, e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // a socket that cannot close holds its port; the child's bind error will say so
        }
      }
    }
  }
}
