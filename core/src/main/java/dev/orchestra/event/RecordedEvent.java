package dev.orchestra.event;

import java.time.Instant;

/**
 * An event as recorded: numbered from 1 within its run, timestamped, and tagged with the run id.
 */
public record RecordedEvent(long seq, Instant time, String run, Event event) {}
