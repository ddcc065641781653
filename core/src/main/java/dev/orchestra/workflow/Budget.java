package dev.orchestra.workflow;

import java.math.BigDecimal;

/**
 * Spending limits; either part may be {@code null} for no limit.
 *
 * @param usd the most the agents may cost, in US dollars
 * @param tokens the most input plus output tokens
 */
public record Budget(BigDecimal usd, Long tokens) {}
