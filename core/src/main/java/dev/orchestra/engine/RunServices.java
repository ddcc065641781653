package dev.orchestra.engine;

import dev.orchestra.agent.Agent;
import dev.orchestra.check.Check;
import dev.orchestra.exec.Executor;
import dev.orchestra.exec.Watchdog;
import dev.orchestra.secret.Credentials;
import dev.orchestra.workflow.CheckSpec;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.NodeSpec;
import java.time.Clock;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The engine's collaborators, shared by its runs.
 *
 * @param scratch where agents write while they run, outside the records
 */
record RunServices(
    Map<String, Agent> agents,
    Map<ExecutorKind, Function<NodeSpec, Executor>> executors,
    Function<CheckSpec, Check> checks,
    WorkspaceProvider workspaces,
    Prompts prompts,
    ExecutorService workers,
    ScheduledExecutorService scheduler,
    Watchdog watchdog,
    Clock clock,
    Random random,
    Map<String, String> env,
    Credentials credentials,
    AgentScratch scratch) {}
