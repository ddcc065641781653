package dev.orchestra.agents.claude;

import dev.orchestra.OrchestraException.LaunchException;
import dev.orchestra.agent.Agent;
import dev.orchestra.agent.AgentLaunch;
import dev.orchestra.agent.AgentRequest;
import dev.orchestra.agents.AgentCli;
import dev.orchestra.agents.AgentHome;
import dev.orchestra.agents.PromptFile;
import dev.orchestra.exec.ProcessLabels;
import dev.orchestra.exec.ProcessSpec;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.NodeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code claude} agent: Claude Code run headless ({@code claude -p --output-format stream-json
 * --verbose --dangerously-skip-permissions}) in the node's workspace, with the prompt on standard
 * input ({@link PromptFile}, so the CLI sees its end at once) and its own {@code HOME} per node
 * ({@link AgentHome}). {@code model} becomes {@code --model}, {@code args} are appended, {@code
 * endpoint} becomes {@code ANTHROPIC_BASE_URL}; telemetry, auto-update, error reporting and the
 * CLI's own retries are off (the engine retries, and holds back on rate limits). Credentials reach
 * it only through the environment.
 *
 * <p>A later attempt resumes the previous attempt's session ({@code --resume SESSION}) with only
 * the feedback as its prompt when the session's transcript is in the node's home; otherwise it
 * starts afresh with the full prompt, which then holds the feedback. Stateless and thread-safe.
 */
public final class ClaudeAgent implements Agent {
  private static final Logger LOG = LoggerFactory.getLogger(ClaudeAgent.class);

  /** The name in workflow files. */
  public static final String NAME = "claude";

  /** The npm package that installs the {@code claude} program. */
  public static final String PACKAGE = "@anthropic-ai/claude-code";

  /** The variable a bare credential name is exposed as (core's NodeCredentials agrees). */
  static final String CREDENTIAL_VARIABLE = "ANTHROPIC_API_KEY";

  /** The prompt of the attempt (the feedback only, when resuming), fed on standard input. */
  static final String PROMPT_FILE = "claude-prompt.txt";

  /** Session ids are UUIDs; anything else is not looked up as a file name. */
  private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

  /** Marks, in the node's home, a session whose resume the CLI refused. */
  static final String UNRESUMABLE = ".orchestra-unresumable-";

  private final Map<String, String> processEnv;
  private final Clock clock;

  /** Finds {@code claude} through this process's environment. */
  public ClaudeAgent() {
    this(System.getenv(), Clock.systemUTC());
  }

  /**
   * @param processEnv where {@code ORCHESTRA_CLAUDE_BIN} and {@code PATH} are read
   * @param clock for reset times in rate-limit messages
   */
  public ClaudeAgent(Map<String, String> processEnv, Clock clock) {
    this.processEnv = Map.copyOf(processEnv);
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<String> unavailable(NodeSpec node) {
    return AgentCli.unavailable(node, NAME, PACKAGE, processEnv);
  }

  /**
   * Describes the {@code claude} process of one attempt and creates the node's home.
   *
   * @throws LaunchException when the CLI is not installed, naming the npm package
   */
  @Override
  public AgentLaunch prepare(AgentRequest request) {
    NodeSpec node = request.node();
    Path program = AgentCli.forRequest(request, NAME, PACKAGE, processEnv);
    Path home = AgentHome.of(request);
    String resume = resumable(home, request.resumeSession());
    String prompt =
        resume != null && request.feedback() != null ? request.feedback() : request.prompt();

    Path promptFile = PromptFile.write(request, PROMPT_FILE, prompt);
    List<String> argv = new ArrayList<>();
    argv.add(program.toString());
    argv.add("-p");
    argv.addAll(
        List.of("--output-format", "stream-json", "--verbose", "--dangerously-skip-permissions"));
    if (node.model() != null && !node.model().isBlank()) {
      argv.add("--model");
      argv.add(node.model());
    }
    if (resume != null) {
      argv.add("--resume");
      argv.add(resume);
    }
    if (node.args() != null) {
      argv.addAll(node.args());
    }

    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOME", home.toString());
    env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
    env.put("DISABLE_AUTOUPDATER", "1");
    env.put("DISABLE_TELEMETRY", "1");
    env.put("DISABLE_ERROR_REPORTING", "1");
    // The engine retries (and holds other nodes back on a rate limit); the CLI's own retries
    // would hide a 429 from it for minutes.
    env.put("CLAUDE_CODE_MAX_RETRIES", "0");
    if (runsAsRoot() || node.executorOrDefault() == ExecutorKind.DOCKER) {
      // Claude Code refuses --dangerously-skip-permissions as root unless told it is sandboxed.
      env.put("IS_SANDBOX", "1");
    }
    if (node.endpoint() != null && !node.endpoint().isBlank()) {
      env.put("ANTHROPIC_BASE_URL", node.endpoint());
    }
    env.putAll(request.env());

    Map<String, String> labels =
        ProcessLabels.ofAttempt(request.runId(), request.nodeId(), request.attempt());
    LOG.debug(
        "node {} attempt {}: claude {}",
        request.nodeId(),
        request.attempt(),
        resume != null ? "resuming session " + resume : "fresh session");
    var process = new ProcessSpec(argv, request.workspace(), env, promptFile, labels);
    return new AgentLaunch(
        process,
        new ClaudeStreamReader(
            home,
            request.workspace(),
            AgentHome.credentialMasker(request, CREDENTIAL_VARIABLE),
            resume,
            clock));
  }

  /**
   * {@code session} when its transcript is in the home ({@code .claude/projects/ * /ID.jsonl}) and
   * the CLI has not refused it before; else {@code null}, for a fresh run.
   */
  static String resumable(Path home, String session) {
    if (session == null || !SESSION_ID.matcher(session).matches()) {
      return null;
    }
    if (Files.exists(home.resolve(UNRESUMABLE + session))) {
      return null;
    }
    Path projects = home.resolve(".claude").resolve("projects");
    if (!Files.isDirectory(projects)) {
      return null;
    }
    String file = session + ".jsonl";
    try (Stream<Path> files = Files.walk(projects, 3)) {
      return files.anyMatch(p -> p.getFileName().toString().equals(file)) ? session : null;
    } catch (IOException e) {
      LOG.debug("cannot look for session {} under {}: {}", session, projects, e.toString());
      return null;
    }
  }

  private static boolean runsAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
