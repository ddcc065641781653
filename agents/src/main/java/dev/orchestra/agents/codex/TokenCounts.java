package dev.orchestra.agents.codex;

/**
 * Tokens as Codex counts them: {@code input} includes {@code cachedInput}, {@code output} includes
 * reasoning.
 */
record TokenCounts(long input, long cachedInput, long output) {
  static final TokenCounts ZERO = new TokenCounts(0, 0, 0);

  /** What was spent since {@code earlier}; never negative (a count that went down restarts). */
  TokenCounts since(TokenCounts earlier) {
    if (input < earlier.input || cachedInput < earlier.cachedInput || output < earlier.output) {
      return this;
    }
    return new TokenCounts(
        input - earlier.input, cachedInput - earlier.cachedInput, output - earlier.output);
  }
}
