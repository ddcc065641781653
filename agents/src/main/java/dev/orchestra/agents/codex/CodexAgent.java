package dev.orchestra.agents.codex;

import dev.orchestra.OrchestraException.LaunchException;
import dev.orchestra.agent.Agent;
import dev.orchestra.agent.AgentLaunch;
import dev.orchestra.agent.AgentRequest;
import dev.orchestra.agents.AgentCli;
import dev.orchestra.agents.AgentHome;
import dev.orchestra.agents.PromptFile;
import dev.orchestra.agents.price.PriceTable;
import dev.orchestra.agents.price.Pricing;
import dev.orchestra.exec.ProcessLabels;
import dev.orchestra.exec.ProcessSpec;
import dev.orchestra.workflow.NodeSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code codex} agent: the Codex CLI run headless ({@code codex exec --json
 * --skip-git-repo-check --dangerously-bypass-approvals-and-sandbox … -- -}) in the node's
 * workspace, with the prompt on standard input from a file ({@link PromptFile}; Codex waits forever
 * for an open stdin that never ends) and its own {@code HOME} and {@code CODEX_HOME} per node
 * ({@link AgentHome}), where it keeps its sessions. The update check and analytics are off. {@code
 * model} becomes {@code -c model=…} (default {@value #DEFAULT_MODEL}, so that the price table knows
 * what was used); {@code args} are appended before the prompt; {@code endpoint} becomes a provider
 * {@code orchestra} speaking the Responses API at that base URL ({@code /v1} added when the URL has
 * no path), which reads the key from {@code OPENAI_API_KEY} and leaves retries to the engine.
 * Credentials reach it only through the environment.
 *
 * <p>A later attempt resumes the previous attempt's thread ({@code codex exec resume THREAD
 * FEEDBACK}) when its rollout is still in the node's {@code CODEX_HOME}; otherwise it starts afresh
 * with the full prompt, which then holds the feedback. Codex reports no cost: usage is priced from
 * the node's {@code price} or the {@link PriceTable}, as an estimate. Stateless and thread-safe.
 */
public final class CodexAgent implements Agent {
  private static final Logger LOG = LoggerFactory.getLogger(CodexAgent.class);

  /** The name in workflow files. */
  public static final String NAME = "codex";

  /** The npm package that installs the {@code codex} program. */
  public static final String PACKAGE = "@openai/codex";

  /** The model used when the node names none: in the CLI's catalog, and in the price table. */
  public static final String DEFAULT_MODEL = "gpt-5.5";

  /** The prompt of the attempt (the feedback only, when resuming), fed on standard input. */
  static final String PROMPT_FILE = "codex-prompt.txt";

  /** The variable a bare credential name is exposed as (core's NodeCredentials agrees). */
  static final String CREDENTIAL_VARIABLE = "OPENAI_API_KEY";

  private final Map<String, String> processEnv;
  private final Clock clock;
  private final PriceTable prices;

  /** Finds {@code codex} through this process's environment; prices from the standard table. */
  public CodexAgent() {
    this(System.getenv(), Clock.systemUTC(), PriceTable.standard());
  }

  /**
   * @param processEnv where {@code ORCHESTRA_CODEX_BIN} and {@code PATH} are read
   * @param clock for reset times in rate-limit messages
   * @param prices for nodes without their own {@code price}
   */
  public CodexAgent(Map<String, String> processEnv, Clock clock, PriceTable prices) {
    this.processEnv = Map.copyOf(processEnv);
    this.clock = clock;
    this.prices = prices;
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
   * Describes the {@code codex} process of one attempt and creates the node's homes.
   *
   * @throws LaunchException when the CLI is not installed, naming the npm package
   */
  @Override
  public AgentLaunch prepare(AgentRequest request) {
    NodeSpec node = request.node();
    Path program = AgentCli.forRequest(request, NAME, PACKAGE, processEnv);
    Path home = AgentHome.of(request);
    Path codexHome = home.resolve(".codex");
    // Codex refuses to start when CODEX_HOME does not exist.
    AgentHome.createPrivate(codexHome);
    CodexSessions sessions = new CodexSessions(codexHome);
    String thread =
        request.feedback() != null && sessions.exists(request.resumeSession())
            ? request.resumeSession()
            : null;
    String prompt = thread != null ? request.feedback() : request.prompt();
    String model = blankToNull(node.model()) != null ? node.model().strip() : DEFAULT_MODEL;

    List<String> argv = new ArrayList<>();
    argv.add(program.toString());
    argv.add("exec");
    if (thread != null) {
      argv.add("resume");
    }
    argv.addAll(
        List.of("--json", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox"));
    config(argv, "model", TomlStrings.quote(model));
    config(argv, "check_for_update_on_startup", "false");
    config(argv, "analytics.enabled", "false");
    String endpoint = blankToNull(node.endpoint());
    if (endpoint != null) {
      config(argv, "model_provider", "\"orchestra\"");
      config(argv, "model_providers.orchestra", provider(endpoint));
    }
    argv.addAll(node.argsOrEmpty());
    // Positional arguments after "--"; "-" reads the prompt from standard input.
    argv.add("--");
    if (thread != null) {
      argv.add(thread);
    }
    argv.add("-");
    Path promptFile = PromptFile.write(request, PROMPT_FILE, prompt);

    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOME", home.toString());
    env.put("CODEX_HOME", codexHome.toString());
    env.putAll(request.env());

    Map<String, String> labels =
        ProcessLabels.ofAttempt(request.runId(), request.nodeId(), request.attempt());
    LOG.debug(
        "node {} attempt {}: codex {}",
        request.nodeId(),
        request.attempt(),
        thread != null ? "resuming thread " + thread : "fresh thread");
    var process = new ProcessSpec(argv, request.workspace(), env, promptFile, labels);
    var reader =
        new CodexOutputReader(
            Pricing.of(model, node.price(), prices),
            sessions,
            thread != null ? sessions.tokensSoFar(thread) : TokenCounts.ZERO,
            home,
            request.workspace(),
            AgentHome.credentialMasker(request, CREDENTIAL_VARIABLE),
            clock);
    return new AgentLaunch(process, reader);
  }

  private static void config(List<String> argv, String key, String tomlValue) {
    argv.add("-c");
    argv.add(key + "=" + tomlValue);
  }

  /**
   * The {@code orchestra} provider: the Responses API at {@code endpoint}, the key from {@code
   * OPENAI_API_KEY}, no retries of its own (the engine retries and holds back on rate limits), no
   * websockets (gateways rarely speak them).
   */
  static String provider(String endpoint) {
    return "{name=\"Orchestra\",base_url="
        + TomlStrings.quote(baseUrl(endpoint))
        + ",env_key=\""
        + CREDENTIAL_VARIABLE
        + "\",wire_api=\"responses\",request_max_retries=0,stream_max_retries=0,"
        + "supports_websockets=false}";
  }

  /**
   * The base URL Codex calls {@code /responses} under: {@code endpoint} without a trailing slash,
   * with {@code /v1} added when it has no path (so that one {@code endpoint} in {@code defaults}
   * serves all agents, each adding its API's path).
   */
  static String baseUrl(String endpoint) {
    String url = endpoint.strip();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    String path;
    try {
      path = URI.create(url).getPath();
    } catch (IllegalArgumentException e) {
      throw new LaunchException(
          "endpoint '" + endpoint + "' is not a URL; use e.g. https://gateway.example.com/v1", e);
    }
    return path == null || path.isEmpty() ? url + "/v1" : url;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
