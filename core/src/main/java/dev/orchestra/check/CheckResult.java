package dev.orchestra.check;

/**
 * The outcome of one check.
 *
 * @param check the check's display name (e.g. {@code run: mvn test})
 * @param passed whether it passed
 * @param output what it printed or found, the tail (at most 4 KiB) kept for feedback
 */
public record CheckResult(String check, boolean passed, String output) {}
