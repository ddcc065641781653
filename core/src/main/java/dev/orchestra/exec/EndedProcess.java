package dev.orchestra.exec;

/**
 * A process that an {@link Executor} ended because the process it started had exited or was killed
 * and this one was still running: a background job, a daemon, anything the process started and left
 * behind. Reports name it so that a user can tell what their command left running.
 *
 * @param pid its process id at the time
 * @param command its command line (arguments joined by spaces, cut at about 120 characters), or the
 *     program name when the command line could not be read; may hold whatever the user's command
 *     put there, so it is masked like output before it reaches records or events
 */
public record EndedProcess(long pid, String command) {}
