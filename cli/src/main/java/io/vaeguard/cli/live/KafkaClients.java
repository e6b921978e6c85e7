package io.vaeguard.cli.live;

import io.vaeguard.cli.UserError;
import io.vaeguard.pipeline.generator.ObservationProducer;
import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Client settings for the interactive verbs: short timeouts, so that a broker that is not there is
 * a one-line error within seconds rather than a client retrying for a minute.
 */
public final class KafkaClients {

  /** How long a verb waits for a broker to answer before it says it cannot reach it. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private KafkaClients() {}

  /**
   * String keys, byte[] values (Avro single-object encoding), acks=all, idempotent: the synthetic
   * producer's settings ({@link ObservationProducer#kafkaSettings}) with this class's timeout.
   */
  public static Properties producer(String bootstrapServers, String clientId) {
    return ObservationProducer.kafkaSettings(bootstrapServers, clientId, CONNECT_TIMEOUT);
  }

  /** String keys, byte[] values, read_committed, no consumer group (partitions are assigned). */
  public static Properties consumer(String bootstrapServers, String clientId) {
    Properties p = common(bootstrapServers, clientId);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(CONNECT_TIMEOUT.toMillis()));
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(CONNECT_TIMEOUT.toMillis()));
    return p;
  }

  /** Admin client settings with the short timeouts. */
  public static Properties admin(String bootstrapServers, String clientId) {
    Properties p = common(bootstrapServers, clientId);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(CONNECT_TIMEOUT.toMillis()));
    p.put(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(CONNECT_TIMEOUT.toMillis()));
    return p;
  }

  private static Properties common(String bootstrapServers, String clientId) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    p.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "100");
    return p;
  }

  /**
   * Fails with a one-line {@link UserError} naming the address when no broker answers there within
   * {@link #CONNECT_TIMEOUT}, or when the address does not parse or resolve.
   *
   * @param flag the option that gave the address, named in the message
   */
  public static void requireReachable(String bootstrapServers, String flag) {
    Admin admin;
    try {
      admin = Admin.create(admin(bootstrapServers, "vaeguard-check"));
    } catch (KafkaException e) {
      throw new UserError(
          flag + " " + bootstrapServers + " is not a usable Kafka address: " + rootMessage(e));
    }
    try {
      Collection<Node> nodes =
          admin
              .describeCluster(
                  new DescribeClusterOptions().timeoutMs((int) CONNECT_TIMEOUT.toMillis()))
              .nodes()
              .get(CONNECT_TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS);
      if (nodes.isEmpty()) {
        throw unreachable(bootstrapServers, flag, "it answered without any broker");
      }
    } catch (ExecutionException | TimeoutException e) {
      throw unreachable(
          bootstrapServers, flag, "no answer within " + CONNECT_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while connecting to Kafka at " + bootstrapServers);
    } finally {
      admin.close(Duration.ofSeconds(1));
    }
  }

  /** The one-line error for a broker that does not answer at {@code bootstrapServers}. */
  public static UserError unreachable(String bootstrapServers, String flag, String why) {
    return new UserError(
        "cannot reach Kafka at "
            + bootstrapServers
            + " ("
            + why
            + "); start a local broker with"
            + " 'vaeguard kafka start' or point "
            + flag
            + " at a running one");
  }

  /**
   * The message of the innermost cause (the class name when it has none): what a Kafka client's
   * wrapped exceptions actually say, for one-line errors.
   */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }
}
