package dev.orchestra.agents.gemini;

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
 * The {@code gemini} agent: Gemini CLI run headless ({@code gemini -p "" --output-format
 * stream-json --yolo --model MODEL}) in the node's workspace, with the prompt on standard input
 * from a file ({@link PromptFile}) and its own {@code HOME} per node ({@link AgentHome}) holding a
 * {@code settings.json} that selects API-key auth, trusts the workspace (else {@code --yolo} is
 * silently downgraded), and turns off usage statistics, telemetry, auto-update and the CLI's own
 * retries (the engine retries and holds back on rate limits). {@code model} defaults to {@value
 * #DEFAULT_MODEL} (without {@code -m} the CLI first asks a routing model); {@code args} are
 * appended; {@code endpoint} becomes {@code GOOGLE_GEMINI_BASE_URL}. The key is read from {@code
 * GEMINI_API_KEY}, or from {@code GOOGLE_API_KEY} when only that is set. Credentials reach it only
 * through the environment.
 *
 * <p>A later attempt resumes the previous attempt's session ({@code --resume SESSION}) with only
 * the feedback as its prompt when the session is still in the node's home; otherwise it starts
 * afresh with the full prompt, which then holds the feedback. Gemini CLI reports no cost: usage is
 * priced from the node's {@code price} or the {@link PriceTable}, as an estimate. Stateless and
 * thread-safe.
 */
public final class GeminiAgent implements Agent {
  private static final Logger LOG = LoggerFactory.getLogger(GeminiAgent.class);

  /** The name in workflow files. */
  public static final String NAME = "gemini";

  /** The npm package that installs the {@code gemini} program. */
  public static final String PACKAGE = "@google/gemini-cli";

  /** The model used when the node names none. */
  public static final String DEFAULT_MODEL = "gemini-2.5-pro";

  /** The prompt of the attempt (the feedback only, when resuming), fed on standard input. */
  static final String PROMPT_FILE = "gemini-prompt.txt";

  /** The variable a bare credential name is exposed as (core's NodeCredentials agrees). */
  static final String CREDENTIAL_VARIABLE = "GEMINI_API_KEY";

  static final String ALTERNATE_VARIABLE = "GOOGLE_API_KEY";

  /** Written to the node's home before every attempt. */
  static final String SETTINGS =
      """
      {
        "security": {"auth": {"selectedType": "gemini-api-key"}, "folderTrust": {"enabled": false}},
        "privacy": {"usageStatisticsEnabled": false},
        "telemetry": {"enabled": false},
        "general": {
          "enableAutoUpdate": false,
          "enableAutoUpdateNotification": false,
          "maxAttempts": 1,
          "retryFetchErrors": false
        }
      }
      """;

  private final Map<String, String> processEnv;
  private final Clock clock;
  private final PriceTable prices;

  /** Finds {@code gemini} through this process's environment; prices from the standard table. */
  public GeminiAgent() {
    this(System.getenv(), Clock.systemUTC(), PriceTable.standard());
  }

  /**
   * @param processEnv where {@code ORCHESTRA_GEMINI_BIN}, {@code PATH} and (as a fallback for the
   *     key) {@code GOOGLE_API_KEY} are read
   * @param clock for reset times in rate-limit messages
   * @param prices for nodes without their own {@code price}
   */
  public GeminiAgent(Map<String, String> processEnv, Clock clock, PriceTable prices) {
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
   * Describes the {@code gemini} process of one attempt and writes the node's home.
   *
   * @throws LaunchException when the CLI is not installed, naming the npm package
   */
  @Override
  public AgentLaunch prepare(AgentRequest request) {
    NodeSpec node = request.node();
    Path program = AgentCli.forRequest(request, NAME, PACKAGE, processEnv);
    Path home = AgentHome.of(request);
    AgentHome.write(home, ".gemini/settings.json", SETTINGS);
    Path tmp = home.resolve(".tmp");
    AgentHome.createPrivate(tmp);
    String session =
        request.feedback() != null && GeminiSessions.exists(home, request.resumeSession())
            ? request.resumeSession()
            : null;
    String prompt = session != null ? request.feedback() : request.prompt();
    String model =
        node.model() != null && !node.model().isBlank() ? node.model().strip() : DEFAULT_MODEL;

    List<String> argv = new ArrayList<>();
    argv.add(program.toString());
    // Headless mode with an empty -p: the CLI takes the prompt from standard input.
    argv.add("-p");
    argv.add("");
    argv.addAll(List.of("--output-format", "stream-json", "--yolo", "--model", model));
    if (session != null) {
      argv.add("--resume");
      argv.add(session);
    }
    argv.addAll(node.argsOrEmpty());

    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOME", home.toString());
    // Error reports go to the temporary directory; keep them in the node's home, not /tmp.
    env.put("TMPDIR", tmp.toString());
    if (node.endpoint() != null && !node.endpoint().isBlank()) {
      env.put("GOOGLE_GEMINI_BASE_URL", stripSlashes(node.endpoint().strip()));
    }
    env.putAll(request.env());
    if (!env.containsKey(CREDENTIAL_VARIABLE) && !processEnv.containsKey(CREDENTIAL_VARIABLE)) {
      String google = env.getOrDefault(ALTERNATE_VARIABLE, processEnv.get(ALTERNATE_VARIABLE));
      if (google != null) {
        env.put(CREDENTIAL_VARIABLE, google);
      }
    }

    Map<String, String> labels =
        ProcessLabels.ofAttempt(request.runId(), request.nodeId(), request.attempt());
    LOG.debug(
        "node {} attempt {}: gemini {}",
        request.nodeId(),
        request.attempt(),
        session != null ? "resuming session " + session : "fresh session");
    Path promptFile = PromptFile.write(request, PROMPT_FILE, prompt);
    var process = new ProcessSpec(argv, request.workspace(), env, promptFile, labels);
    var reader =
        new GeminiOutputReader(
            Pricing.of(model, node.price(), prices),
            home,
            request.workspace(),
            masker(request),
            clock);
    return new AgentLaunch(process, reader);
  }

  private static dev.orchestra.secret.SecretMasker masker(AgentRequest request) {
    var masker = AgentHome.credentialMasker(request, CREDENTIAL_VARIABLE);
    String google = request.env().get(ALTERNATE_VARIABLE);
    if (google != null) {
      masker.add(google);
    }
    return masker;
  }

  private static String stripSlashes(String url) {
    String s = url;
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
