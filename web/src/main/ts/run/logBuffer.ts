/**
 * The live output of a run's nodes, line by line, as `node_output` events bring it. Kept apart
 * from the immutable run state because it only grows and can be long: a node's lines are an
 * append-only array that the virtualised log view reads by index, and `version` tells a view
 * that something was added. At most `limit` lines per node are kept; older ones are dropped and
 * counted, and the view offers the full text from the attempt's stdout/stderr.
 */
import type { NodeOutputEvent } from '../api/types';

export interface LogLine {
  readonly stream: string;
  readonly text: string;
}

export class NodeLog {
  readonly lines: LogLine[] = [];
  /** Lines dropped from the front to stay within the limit. */
  dropped = 0;
  constructor(private readonly limit: number) {}

  /** Adds a chunk: each line of it (the line break that ends the chunk makes no empty line). */
  append(stream: string, text: string): void {
    const parts = text.split('\n');
    if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    for (const part of parts) this.lines.push({ stream, text: part.replace(/\r$/, '') });
    const over = this.lines.length - this.limit;
    if (over > 0) {
      this.lines.splice(0, over);
      this.dropped += over;
    }
  }
}

export class LogBuffer {
  private readonly logs = new Map<string, NodeLog>();
  private listeners = new Set<() => void>();
  version = 0;
  /** The `seq` of the last event added (0 before any): a stream resumed after it repeats none. */
  lastSeq = 0;

  constructor(private readonly limit = 50_000) {}

  /** Appends the output events of a batch; other events, and those added before, are ignored. */
  add(events: readonly { type: string; seq: number }[]): void {
    let changed = false;
    for (const e of events) {
      if (e.seq <= this.lastSeq) continue;
      this.lastSeq = e.seq;
      if (e.type !== 'node_output') continue;
      const o = e as NodeOutputEvent;
      if (o.text === undefined) continue;
      this.node(o.node).append(o.stream ?? 'stdout', o.text);
      changed = true;
    }
    if (changed) {
      this.version++;
      for (const l of this.listeners) l();
    }
  }

  node(id: string): NodeLog {
    let log = this.logs.get(id);
    if (!log) {
      log = new NodeLog(this.limit);
      this.logs.set(id, log);
    }
    return log;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
