package dev.orchestra.agent;

import dev.orchestra.exec.ProcessSpec;

/** The process an agent wants started for one attempt, and the reader of its output. */
public record AgentLaunch(ProcessSpec process, AgentOutputReader reader) {}
