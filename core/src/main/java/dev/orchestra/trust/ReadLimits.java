package dev.orchestra.trust;

/**
 * The most Orchestra reads of each kind of file that a workflow, an agent or a check supplies
 * (docs/security.md, "Inputs and limits"). A larger file is an error naming the file and the limit,
 * never silently cut: what is read goes into a prompt or an output that others rely on.
 */
public final class ReadLimits {
  /** A {@code prompt_file}. */
  public static final long PROMPT_FILE_BYTES = 1L << 20;

  /** Each file a {@code context: {file: GLOB}} entry adds to a prompt. */
  public static final long CONTEXT_FILE_BYTES = 1L << 20;

  /** A document a {@code context: {url: URL}} entry fetches. */
  public static final long CONTEXT_URL_BYTES = 1L << 20;

  /** Each named output ({@code outputs: {NAME: {file|json: PATH}}}). */
  public static final long OUTPUT_BYTES = 1L << 20;

  /** What a {@code command} agent writes to {@code ORCHESTRA_OUTPUT_FILE}. */
  public static final long OUTPUT_FILE_BYTES = 1L << 20;

  /** Each JUnit XML report a {@code junit} check reads (test output can make them large). */
  public static final long JUNIT_REPORT_BYTES = 64L << 20;

  private ReadLimits() {}
}
