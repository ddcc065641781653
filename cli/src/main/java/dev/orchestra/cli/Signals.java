package dev.orchestra.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT handled by the command instead of the JVM's shutdown: {@code node exec} ends
 * its node's processes, records the node {@code cancelled} with the signal's name and exits 130 on
 * its own thread, which a shutdown hook could not do in order. Handlers run on the JVM's signal
 * thread; the previous ones come back on {@link #close()}.
 */
final class Signals implements AutoCloseable {
  private final List<Signal> signals = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();

  private Signals() {}

  /** Calls {@code handler} with e.g. {@code SIGTERM} on each SIGTERM or SIGINT. */
  static Signals onTermination(Consumer<String> handler) {
    Signals s = new Signals();
    for (String name : List.of("TERM", "INT")) {
      Signal signal = new Signal(name);
      s.signals.add(signal);
      s.previous.add(Signal.handle(signal, sig -> handler.accept("SIG" + sig.getName())));
    }
    return s;
  }

  @Override
  public void close() {
    for (int i = 0; i < signals.size(); i++) {
      Signal.handle(signals.get(i), previous.get(i));
    }
  }
}
