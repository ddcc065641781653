package dev.orchestra.agents;

import dev.orchestra.agent.AgentSink;
import dev.orchestra.event.Usage;
import java.util.ArrayList;
import java.util.List;

/** An {@link AgentSink} that keeps what a reader reported, for assertions. Thread-safe. */
public final class RecordingSink implements AgentSink {
  private final List<String> outputs = new ArrayList<>();
  private final List<Usage> usages = new ArrayList<>();

  @Override
  public synchronized void output(String stream, String text) {
    outputs.add(stream + ": " + text);
  }

  @Override
  public synchronized void usage(Usage soFar) {
    usages.add(soFar);
  }

  /** Every output as {@code STREAM: TEXT}, in order. */
  public synchronized List<String> outputs() {
    return List.copyOf(outputs);
  }

  /** Every usage report, in order. */
  public synchronized List<Usage> usages() {
    return List.copyOf(usages);
  }
}
