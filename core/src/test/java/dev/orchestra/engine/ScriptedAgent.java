package dev.orchestra.engine;

import dev.orchestra.agent.Agent;
import dev.orchestra.agent.AgentLaunch;
import dev.orchestra.agent.AgentOutputReader;
import dev.orchestra.agent.AgentRequest;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.agent.AgentSink;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.ProcessSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * An agent under a real agent's name whose result per node and attempt is scripted in the test, for
 * outcomes a command cannot produce (rate limits with a reset hint). Its process is a real {@code
 * true}.
 */
final class ScriptedAgent implements Agent {
  private final String name;
  private final BiFunction<String, Integer, AgentResult> script;
  private final List<AgentRequest> requests = new ArrayList<>();

  ScriptedAgent(String name, BiFunction<String, Integer, AgentResult> script) {
    this.name = name;
    this.script = script;
  }

  /** The requests it was given, in order. */
  List<AgentRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public AgentLaunch prepare(AgentRequest request) {
    synchronized (requests) {
      requests.add(request);
    }
    AgentResult result = script.apply(request.nodeId(), request.attempt());
    return new AgentLaunch(
        new ProcessSpec(List.of("true"), request.workspace(), Map.of(), null, Map.of()),
        new AgentOutputReader() {
          @Override
          public void onLine(OutputStream stream, String line, AgentSink sink) {}

          @Override
          public AgentResult finish(ExitStatus exit) {
            return result;
          }
        });
  }
}
