package dev.orchestra.workflow;

import java.math.BigDecimal;

/**
 * Spending limits; either part may be {@code null} for no limit.
 *
 * @param usd the most the agents may cost, in US dollars; {@code > 0}
 * @param tokens the most input plus output tokens; {@code > 0}
 */
public record Budget(BigDecimal usd, Long tokens) {
  public Budget {
    if (usd != null && usd.signum() <= 0) {
      throw new IllegalArgumentException("budget usd must be > 0, was " + usd.toPlainString());
    }
    if (tokens != null && tokens <= 0) {
      throw new IllegalArgumentException("budget tokens must be > 0, was " + tokens);
    }
  }
}
