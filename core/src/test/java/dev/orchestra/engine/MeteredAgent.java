package dev.orchestra.engine;

import dev.orchestra.agent.Agent;
import dev.orchestra.agent.AgentLaunch;
import dev.orchestra.agent.AgentOutcome;
import dev.orchestra.agent.AgentOutputReader;
import dev.orchestra.agent.AgentRequest;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.agent.AgentSink;
import dev.orchestra.agent.command.CommandAgent;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputStream;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * A command agent that speaks a little like an AI CLI, for budget and rate-limit tests: a line
 * {@code usage N} reports N tokens so far, {@code cost USD} an estimated cost so far; exit code 75
 * means rate limited (retry after 10 ms), 77 means the credentials were refused. The process is a
 * real child process.
 */
final class MeteredAgent implements Agent {
  private final CommandAgent command = new CommandAgent();

  /** Stands in for the {@code command} agent, so that workflows validate as usual. */
  @Override
  public String name() {
    return CommandAgent.NAME;
  }

  @Override
  public AgentLaunch prepare(AgentRequest request) {
    AgentLaunch launch = command.prepare(request);
    AgentOutputReader inner = launch.reader();
    AgentOutputReader reader =
        new AgentOutputReader() {
          private Usage usage = Usage.ZERO;

          @Override
          public synchronized void onLine(OutputStream stream, String line, AgentSink sink) {
            inner.onLine(stream, line, sink);
            if (line.startsWith("usage ")) {
              usage = new Usage(Long.parseLong(line.substring(6).trim()), 0, null);
              sink.usage(usage);
            } else if (line.startsWith("cost ")) {
              // An estimate from a price table, as for CLIs that report no cost.
              usage = new Usage(0, 0, new BigDecimal(line.substring(5).trim()), true);
              sink.usage(usage);
            }
          }

          @Override
          public synchronized AgentResult finish(ExitStatus exit) {
            AgentResult r = inner.finish(exit);
            if (exit.code() == 75) {
              return new AgentResult(
                  AgentOutcome.RATE_LIMITED, "", usage, null, "HTTP 429", Duration.ofMillis(10));
            }
            if (exit.code() == 77) {
              return new AgentResult(
                  AgentOutcome.AUTH_FAILED, "", usage, null, "HTTP 401: invalid key", null);
            }
            return new AgentResult(
                r.outcome(), r.output(), usage, r.sessionId(), r.message(), r.retryAfter());
          }
        };
    return new AgentLaunch(launch.process(), reader);
  }
}
