package dev.orchestra.server.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** What the server does with a verified, new delivery (off the request thread). */
public interface GitHubEvents {
  /**
   * Handles event {@code event} (the {@code X-GitHub-Event} header) of {@code delivery}.
   *
   * @return the decision recorded for the delivery
   */
  Outcome handle(String event, JsonNode payload, Delivery delivery);

  /** A decision, why, and the runs started. */
  record Outcome(Delivery.Decision decision, String reason, List<String> runs) {
    public Outcome {
      runs = List.copyOf(runs);
    }

    public static Outcome ignored(String reason) {
      return new Outcome(Delivery.Decision.IGNORED, reason, List.of());
    }
  }
}
