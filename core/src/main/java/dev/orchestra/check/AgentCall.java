package dev.orchestra.check;

/**
 * Runs an AI agent once on a prompt, for checks that need a second opinion ({@code critic}). The
 * engine provides it in the {@link CheckContext}, with the machinery of a node's attempt behind it:
 * the node's executor, timeouts, credentials, masking, records and budget. Keeping it an interface
 * here lets {@code check} stay independent of the engine.
 *
 * <p>Implementations are used by one thread at a time; the process they start belongs to the node
 * and is killed when the node is stopped.
 */
public interface AgentCall {

  /**
   * Runs {@code agent} (or the node's agent when {@code null}) with {@code prompt} and waits for
   * its final message. Never throws for an agent that fails: the failure is in the {@link Reply}.
   *
   * @param agent the agent's name, or {@code null} for the node's
   * @param model the model, or {@code null} for the agent's default
   * @param prompt the whole prompt
   * @throws InterruptedException when the waiting thread is interrupted (the process is killed)
   */
  Reply ask(String agent, String model, String prompt) throws InterruptedException;

  /**
   * What the agent answered.
   *
   * @param message its final message when it completed, else {@code null}
   * @param failure why it did not complete (it failed, timed out, was refused), else {@code null}
   */
  record Reply(String message, String failure) {
    public static Reply answered(String message) {
      return new Reply(message == null ? "" : message, null);
    }

    public static Reply failed(String failure) {
      return new Reply(null, failure);
    }

    public boolean completed() {
      return failure == null;
    }
  }
}
