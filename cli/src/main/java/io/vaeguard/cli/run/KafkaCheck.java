package io.vaeguard.cli.run;

import io.vaeguard.cli.UserError;
import io.vaeguard.cli.live.KafkaClients;
import io.vaeguard.pipeline.config.JobConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Before a local run: is the broker there, and does the input topic exist? Without this, Flink
 * would restart the job over and over with the Kafka client's timeouts in the log; with it, the
 * user gets one line that names the flag to fix.
 */
public final class KafkaCheck {

  private static final int TIMEOUT_MS = 10_000;

  private KafkaCheck() {}

  public static void check(JobConfig cfg, PrintWriter out) {
    Properties props = cfg.kafkaProperties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "vaeguard-run-check");
    Set<String> topics;
    try (Admin admin = Admin.create(props)) {
      topics = admin.listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new UserError(
          "cannot reach Kafka at "
              + cfg.bootstrapServers()
              + " within "
              + TIMEOUT_MS / 1000
              + " s (--bootstrap-servers; security settings via --kafka-property): "
              + KafkaClients.rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while connecting to Kafka at " + cfg.bootstrapServers());
    }
    if (!topics.contains(cfg.inputTopic())) {
      throw new UserError(
          "the input topic '"
              + cfg.inputTopic()
              + "' does not exist on "
              + cfg.bootstrapServers()
              + " (--input-topic); create it first");
    }
    List<String> missing = new ArrayList<>();
    for (String t : new String[] {cfg.alertsTopic(), cfg.deadLetterTopic(), cfg.scoresTopic()}) {
      if (t != null && !topics.contains(t)) {
        missing.add(t);
      }
    }
    if (!missing.isEmpty()) {
      out.println(
          "Note: output topic(s) "
              + String.join(", ", missing)
              + " do not exist yet; they appear only "
              + "where the broker creates topics on first write (auto.create.topics.enable).");
    }
  }
}
