package dev.orchestra.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One node of a workflow as written, or the workflow's {@code defaults} (then {@code id} is {@code
 * null} and {@code needs} is empty).
 *
 * <p>Every key the file did not set is {@code null}; collections the file did not set are {@code
 * null} too, so that {@link #over(NodeSpec)} can tell "absent" from "empty". Use {@link
 * #builder(String)} to build one in code. The accessors ending in {@code OrDefault} answer the
 * built-in default for keys that neither the node nor the defaults set.
 *
 * <p>Each component is one node key of the file, as flat as the file writes it, so that a key's
 * JSON Pointer ({@code /nodes/ID/timeout}) names its component. Values are checked where they are
 * made: the constructor refuses an attempt count below 1, a timeout that is not longer than zero,
 * and an environment variable name that is not one, naming the rule and the value (the parser
 * reports the same rules at their place in the file and leaves such values absent); structured keys
 * are value types that check their own invariants ({@link Backoff}, {@link DockerOptions}, {@link
 * Budget}, {@link Price}, {@link CredentialRef}), and keys with a fixed set of values are enums
 * ({@link ExecutorKind}, {@link OnConflict}); {@link Approval} is the {@code approval} gate, {@link
 * Logs} the {@code logs} cap.
 */
public record NodeSpec(
    String id,
    List<String> needs,
    String agent,
    String uses,
    Map<String, String> with,
    String prompt,
    String promptFile,
    CommandSpec command,
    String model,
    List<String> args,
    String endpoint,
    List<ContextSource> context,
    List<CheckSpec> checks,
    Integer attempts,
    Backoff backoff,
    Duration timeout,
    Duration idleTimeout,
    ExecutorKind executor,
    String image,
    DockerOptions docker,
    Map<String, String> env,
    List<CredentialRef> credentials,
    Map<String, OutputSpec> outputs,
    Boolean continueOnFailure,
    Budget budget,
    Price price,
    OnConflict onConflict,
    Approval approval,
    Logs logs) {

  /** The agent used when neither the node nor the defaults name one. */
  public static final String DEFAULT_AGENT = "claude";

  /** Total tries when neither the node nor the defaults say. */
  public static final int DEFAULT_ATTEMPTS = 3;

  /** Wall clock per attempt when neither the node nor the defaults say. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  /** An environment variable name, for {@code env} keys and credential variables. */
  public static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public NodeSpec {
    needs = needs == null ? List.of() : List.copyOf(needs);
    with = copy(with);
    args = args == null ? null : List.copyOf(args);
    context = context == null ? null : List.copyOf(context);
    checks = checks == null ? null : List.copyOf(checks);
    env = copy(env);
    credentials = credentials == null ? null : List.copyOf(credentials);
    outputs = copy(outputs);
    if (attempts != null && attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, was " + attempts);
    }
    requirePositive(timeout, "timeout");
    requirePositive(idleTimeout, "idle_timeout");
    if (env != null) {
      for (String name : env.keySet()) {
        if (!ENV_NAME.matcher(name).matches()) {
          throw new IllegalArgumentException(
              "env name must match " + ENV_NAME.pattern() + ", was " + name);
        }
      }
    }
  }

  /** Refuses a duration that is not longer than zero; {@code null} (absent) passes. */
  static void requirePositive(Duration d, String name) {
    if (d != null && (d.isNegative() || d.isZero())) {
      throw new IllegalArgumentException(name + " must be longer than zero, was " + d);
    }
  }

  private static <V> Map<String, V> copy(Map<String, V> map) {
    // Keeps the file's order, which users see in graphs and listings.
    return map == null
        ? null
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(map));
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** A builder holding this node's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * This node with every key it does not set taken from {@code defaults}. {@code env} maps are
   * merged key by key, the node winning.
   */
  public NodeSpec over(NodeSpec defaults) {
    if (defaults == null) {
      return this;
    }
    Map<String, String> mergedEnv = env;
    if (defaults.env != null) {
      var m = new java.util.LinkedHashMap<>(defaults.env);
      if (env != null) {
        m.putAll(env);
      }
      mergedEnv = m;
    }
    return new NodeSpec(
        id,
        needs,
        or(agent, defaults.agent),
        or(uses, defaults.uses),
        or(with, defaults.with),
        or(prompt, defaults.prompt),
        or(promptFile, defaults.promptFile),
        or(command, defaults.command),
        or(model, defaults.model),
        or(args, defaults.args),
        or(endpoint, defaults.endpoint),
        or(context, defaults.context),
        or(checks, defaults.checks),
        or(attempts, defaults.attempts),
        or(backoff, defaults.backoff),
        or(timeout, defaults.timeout),
        or(idleTimeout, defaults.idleTimeout),
        or(executor, defaults.executor),
        or(image, defaults.image),
        or(docker, defaults.docker),
        mergedEnv,
        or(credentials, defaults.credentials),
        or(outputs, defaults.outputs),
        or(continueOnFailure, defaults.continueOnFailure),
        or(budget, defaults.budget),
        or(price, defaults.price),
        or(onConflict, defaults.onConflict),
        or(approval, defaults.approval),
        or(logs, defaults.logs));
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  /** Whether this node runs another workflow file ({@code uses}). */
  public boolean isComposed() {
    return uses != null;
  }

  public String agentOrDefault() {
    return agent != null ? agent : DEFAULT_AGENT;
  }

  public int attemptsOrDefault() {
    return attempts != null ? attempts : DEFAULT_ATTEMPTS;
  }

  public Backoff backoffOrDefault() {
    return backoff != null ? backoff : Backoff.DEFAULT;
  }

  public Duration timeoutOrDefault() {
    return timeout != null ? timeout : DEFAULT_TIMEOUT;
  }

  public ExecutorKind executorOrDefault() {
    return executor != null ? executor : ExecutorKind.LOCAL;
  }

  public List<CheckSpec> checksOrEmpty() {
    return checks != null ? checks : List.of();
  }

  public List<ContextSource> contextOrEmpty() {
    return context != null ? context : List.of();
  }

  public Map<String, String> envOrEmpty() {
    return env != null ? env : Map.of();
  }

  public Map<String, OutputSpec> outputsOrEmpty() {
    return outputs != null ? outputs : Map.of();
  }

  public List<CredentialRef> credentialsOrEmpty() {
    return credentials != null ? credentials : List.of();
  }

  public List<String> argsOrEmpty() {
    return args != null ? args : List.of();
  }

  /** How much of each stream of an attempt the records keep ({@code logs}). */
  public Logs logsOrDefault() {
    return logs != null ? logs : Logs.DEFAULT;
  }

  public boolean continuesOnFailure() {
    return Boolean.TRUE.equals(continueOnFailure);
  }

  /** Whether the node waits for a person's decision before it runs ({@code approval}). */
  public boolean isGated() {
    return approval != null;
  }

  /** Whether {@code on_conflict: agent}: the agent resolves conflicts between upstream branches. */
  public boolean agentResolvesConflicts() {
    return onConflict == OnConflict.AGENT;
  }

  /** Builds a {@link NodeSpec}; every key starts absent. Not thread-safe. */
  public static final class Builder {
    private String id;
    private List<String> needs;
    private String agent;
    private String uses;
    private Map<String, String> with;
    private String prompt;
    private String promptFile;
    private CommandSpec command;
    private String model;
    private List<String> args;
    private String endpoint;
    private List<ContextSource> context;
    private List<CheckSpec> checks;
    private Integer attempts;
    private Backoff backoff;
    private Duration timeout;
    private Duration idleTimeout;
    private ExecutorKind executor;
    private String image;
    private DockerOptions docker;
    private Map<String, String> env;
    private List<CredentialRef> credentials;
    private Map<String, OutputSpec> outputs;
    private Boolean continueOnFailure;
    private Budget budget;
    private Price price;
    private OnConflict onConflict;
    private Approval approval;
    private Logs logs;

    private Builder(String id) {
      this.id = id;
    }

    private Builder(NodeSpec n) {
      id = n.id;
      needs = n.needs;
      agent = n.agent;
      uses = n.uses;
      with = n.with;
      prompt = n.prompt;
      promptFile = n.promptFile;
      command = n.command;
      model = n.model;
      args = n.args;
      endpoint = n.endpoint;
      context = n.context;
      checks = n.checks;
      attempts = n.attempts;
      backoff = n.backoff;
      timeout = n.timeout;
      idleTimeout = n.idleTimeout;
      executor = n.executor;
      image = n.image;
      docker = n.docker;
      env = n.env;
      credentials = n.credentials;
      outputs = n.outputs;
      continueOnFailure = n.continueOnFailure;
      budget = n.budget;
      price = n.price;
      onConflict = n.onConflict;
      approval = n.approval;
      logs = n.logs;
    }

    public Builder id(String v) {
      id = v;
      return this;
    }

    public Builder needs(List<String> v) {
      needs = v;
      return this;
    }

    public Builder needs(String... v) {
      needs = List.of(v);
      return this;
    }

    public Builder agent(String v) {
      agent = v;
      return this;
    }

    public Builder uses(String v) {
      uses = v;
      return this;
    }

    public Builder with(Map<String, String> v) {
      with = v;
      return this;
    }

    public Builder prompt(String v) {
      prompt = v;
      return this;
    }

    public Builder promptFile(String v) {
      promptFile = v;
      return this;
    }

    public Builder command(CommandSpec v) {
      command = v;
      return this;
    }

    public Builder model(String v) {
      model = v;
      return this;
    }

    public Builder args(List<String> v) {
      args = v;
      return this;
    }

    public Builder endpoint(String v) {
      endpoint = v;
      return this;
    }

    public Builder context(List<ContextSource> v) {
      context = v;
      return this;
    }

    public Builder checks(List<CheckSpec> v) {
      checks = v;
      return this;
    }

    public Builder checks(CheckSpec... v) {
      checks = List.of(v);
      return this;
    }

    public Builder attempts(Integer v) {
      attempts = v;
      return this;
    }

    public Builder backoff(Backoff v) {
      backoff = v;
      return this;
    }

    public Builder timeout(Duration v) {
      timeout = v;
      return this;
    }

    public Builder idleTimeout(Duration v) {
      idleTimeout = v;
      return this;
    }

    public Builder executor(ExecutorKind v) {
      executor = v;
      return this;
    }

    public Builder image(String v) {
      image = v;
      return this;
    }

    public Builder docker(DockerOptions v) {
      docker = v;
      return this;
    }

    public Builder env(Map<String, String> v) {
      env = v;
      return this;
    }

    public Builder credentials(List<CredentialRef> v) {
      credentials = v;
      return this;
    }

    public Builder outputs(Map<String, OutputSpec> v) {
      outputs = v;
      return this;
    }

    public Builder continueOnFailure(Boolean v) {
      continueOnFailure = v;
      return this;
    }

    public Builder budget(Budget v) {
      budget = v;
      return this;
    }

    public Builder price(Price v) {
      price = v;
      return this;
    }

    public Builder onConflict(OnConflict v) {
      onConflict = v;
      return this;
    }

    public Builder approval(Approval v) {
      approval = v;
      return this;
    }

    public Builder logs(Logs v) {
      logs = v;
      return this;
    }

    public NodeSpec build() {
      return new NodeSpec(
          id,
          needs,
          agent,
          uses,
          with,
          prompt,
          promptFile,
          command,
          model,
          args,
          endpoint,
          context,
          checks,
          attempts,
          backoff,
          timeout,
          idleTimeout,
          executor,
          image,
          docker,
          env,
          credentials,
          outputs,
          continueOnFailure,
          budget,
          price,
          onConflict,
          approval,
          logs);
    }
  }
}
