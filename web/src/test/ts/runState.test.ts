import { describe, expect, test } from 'vitest';
import type { NodeSnapshot, RunEvent, RunSnapshot, RunSummary, UnknownEvent } from '../../main/ts/api/types';
import { LogBuffer } from '../../main/ts/run/logBuffer';
import { applyGlobalEvents, type GlobalEvent } from '../../main/ts/run/runList';
import { applyEvents, fromSnapshot, totals } from '../../main/ts/run/runState';

const T0 = Date.parse('2026-11-02T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

const ZERO = { input_tokens: 0, output_tokens: 0, cost_usd: 0 };

/** A node of the snapshot as RunStateJson writes it: every field, null where it has no value. */
const planned = (id: string, needs: string[], agent: string, more: Partial<NodeSnapshot> = {}): NodeSnapshot => ({
  id,
  needs,
  agent,
  max_attempts: 2,
  status: 'pending',
  attempt: 0,
  started: null,
  finished: null,
  duration_ms: null,
  usage: ZERO,
  reason: null,
  last_failure: null,
  last_line: '',
  waiting_until: null,
  approval: null,
  ...more,
});

const snapshot: RunSnapshot = {
  id: 'r1',
  workflow: 'quickstart',
  status: 'running',
  started: at(0),
  finished: null,
  reason: null,
  inputs: { topic: 'x' },
  usage: ZERO,
  last_seq: 2,
  nodes: [
    planned('outline', [], 'command', { status: 'running', attempt: 1, started: at(1) }),
    planned('summary', ['outline'], 'command'),
    planned('report', ['summary'], 'claude'),
  ],
};

// The events of the run after the snapshot, as EventJson writes them.
const events: RunEvent[] = [
  { seq: 3, time: at(2), run: 'r1', type: 'node_output', node: 'outline', stream: 'stdout', text: '1. What x are\n2. Why\n' },
  { seq: 4, time: at(3), run: 'r1', type: 'node_finished', node: 'outline', status: 'succeeded', attempts: 1, duration_ms: 2000, usage: { input_tokens: 10, output_tokens: 20, cost_usd: 0.01 }, output: 'the outline' },
  { seq: 5, time: at(4), run: 'r1', type: 'node_started', node: 'summary', attempt: 1 },
  { seq: 6, time: at(5), run: 'r1', type: 'node_checking', node: 'summary', attempt: 1 },
  { seq: 7, time: at(6), run: 'r1', type: 'check_finished', node: 'summary', check: 'summary written', passed: false, output: 'test failed' },
  { seq: 8, time: at(6), run: 'r1', type: 'node_retrying', node: 'summary', attempt: 2, delay_ms: 1000, reason: "check 'summary written' failed" },
  { seq: 9, time: at(7), run: 'r1', type: 'node_started', node: 'summary', attempt: 2 },
  { seq: 10, time: at(8), run: 'r1', type: 'check_finished', node: 'summary', check: 'summary written', passed: true, output: '' },
  { seq: 11, time: at(9), run: 'r1', type: 'node_finished', node: 'summary', status: 'succeeded', attempts: 2, duration_ms: 5000, usage: { input_tokens: 100, output_tokens: 50, cost_usd: 0.02, cost_estimated: true } },
  { seq: 12, time: at(10), run: 'r1', type: 'node_finished', node: 'report', status: 'skipped', attempts: 0, duration_ms: 0, reason: 'cancelled before it started', usage: ZERO },
  { seq: 13, time: at(11), run: 'r1', type: 'run_finished', status: 'cancelled', usage: { input_tokens: 110, output_tokens: 70, cost_usd: 0.03 }, reason: 'cancelled by alice' },
];

describe('the run state reducer', () => {
  test('starts from the snapshot: every node, also those not started, in its order', () => {
    const s = fromSnapshot(snapshot);
    expect(s.order).toEqual(['outline', 'summary', 'report']);
    expect(s.nodes.report.status).toBe('pending');
    expect(s.nodes.outline.started).toBe(T0 + 1000);
    expect(s.lastSeq).toBe(2);
  });

  test('folds statuses, attempts, checks, durations, usage and last lines', () => {
    const s = applyEvents(fromSnapshot(snapshot), events.slice(0, 6));
    expect(s.nodes.outline).toMatchObject({ status: 'succeeded', durationMs: 2000, output: 'the outline', lastLine: '2. Why' });
    expect(s.nodes.summary).toMatchObject({ status: 'retrying', attempt: 1, waitUntil: T0 + 7000, lastLine: "retrying: check 'summary written' failed" });
    expect(s.nodes.summary.checks).toEqual([{ check: 'summary written', passed: false, output: 'test failed' }]);
    const later = applyEvents(s, events.slice(6, 8));
    expect(later.nodes.summary).toMatchObject({ status: 'running', attempt: 2, started: T0 + 4000 });
    expect(later.nodes.summary.checks).toEqual([{ check: 'summary written', passed: true, output: '' }]);
  });

  test('ends with the run status, reason and the server totals', () => {
    const s = applyEvents(fromSnapshot(snapshot), events);
    expect(s).toMatchObject({ status: 'cancelled', reason: 'cancelled by alice', finished: T0 + 11000, lastSeq: 13, stale: false });
    expect(s.nodes.report).toMatchObject({ status: 'skipped', reason: 'cancelled before it started' });
    expect(totals(s)).toMatchObject({ inputTokens: 110, outputTokens: 70, costUsd: 0.03, counts: { succeeded: 2, skipped: 1 } });
  });

  test('sums node usage while the run is going, marking an estimated cost', () => {
    const s = applyEvents(fromSnapshot(snapshot), events.slice(0, 9));
    expect(totals(s)).toMatchObject({ inputTokens: 110, outputTokens: 70, costEstimated: true });
    expect(totals(s).costUsd).toBeCloseTo(0.03);
  });

  test('ignores events in the snapshot and duplicates after a reconnect: the same state however the stream was cut', () => {
    const once = applyEvents(fromSnapshot(snapshot), events);
    const old: RunEvent = { seq: 2, time: at(0), run: 'r1', type: 'node_started', node: 'outline', attempt: 1 };
    const chopped = [events.slice(0, 4), events.slice(2, 7), events.slice(5), events.slice(9)].reduce(
      (s, batch) => applyEvents(s, batch),
      applyEvents(fromSnapshot(snapshot), [old]),
    );
    expect(chopped).toEqual(once);
    expect(applyEvents(once, events)).toBe(once);
  });

  test('only the nodes an event touched are new objects', () => {
    const s = fromSnapshot(snapshot);
    const next = applyEvents(s, events.slice(0, 1));
    expect(next.nodes.outline).not.toBe(s.nodes.outline);
    expect(next.nodes.summary).toBe(s.nodes.summary);
    expect(next.nodes.report).toBe(s.nodes.report);
  });

  test('marks the state stale on a gap in the sequence or an event type it does not know', () => {
    expect(applyEvents(fromSnapshot(snapshot), events.slice(1, 2)).stale).toBe(true);
    const unknown: UnknownEvent = { seq: 3, time: at(2), run: 'r1', type: 'node_teleported', node: 'report' };
    const s = applyEvents(fromSnapshot(snapshot), [unknown]);
    expect(s.stale).toBe(true);
    expect(s.lastSeq).toBe(3);
  });

  test('starts from what the snapshot says of a node: its last line, its wait and its gate', () => {
    const s = fromSnapshot({
      ...snapshot,
      nodes: [
        planned('summary', [], 'command', { status: 'retrying', attempt: 1, last_line: "retrying: check 'x' failed", waiting_until: at(30) }),
        planned('report', [], 'claude', { status: 'waiting_approval', approval: { message: 'Publish?', approvers: ['alice'], decision: null } }),
      ],
    });
    expect(s.nodes.summary).toMatchObject({ lastLine: "retrying: check 'x' failed", waitUntil: T0 + 30_000 });
    expect(s.nodes.report.approval).toEqual({ message: 'Publish?', approvers: ['alice'], decision: null });
  });

  test('folds an approval gate: waiting with its question, then the decision with who, when and why', () => {
    const waiting = applyEvents(fromSnapshot(snapshot), [
      { seq: 3, time: at(2), run: 'r1', type: 'node_waiting_approval', node: 'report', message: 'Publish\n the report?', approvers: ['alice', 'bob'] },
    ]);
    expect(waiting.stale).toBe(false);
    expect(waiting.nodes.report).toMatchObject({
      status: 'waiting_approval',
      lastLine: 'waiting for approval: Publish the report?',
      approval: { message: 'Publish\n the report?', approvers: ['alice', 'bob'], decision: null },
    });
    const approved = applyEvents(waiting, [
      { seq: 4, time: at(5), run: 'r1', type: 'node_approved', node: 'report', by: 'alice', comment: 'ship it', decided_at: at(4) },
    ]);
    expect(approved.nodes.report).toMatchObject({
      status: 'pending',
      lastLine: 'approved by alice',
      approval: { message: 'Publish\n the report?', decision: { verdict: 'approved', by: 'alice', comment: 'ship it', decided_at: at(4) } },
    });
    const rejected = applyEvents(waiting, [
      { seq: 4, time: at(5), run: 'r1', type: 'node_rejected', node: 'report', by: 'bob' },
      { seq: 5, time: at(5), run: 'r1', type: 'node_finished', node: 'report', status: 'failed', attempts: 0, duration_ms: 0, reason: 'rejected by bob', usage: ZERO },
    ]);
    expect(rejected.nodes.report).toMatchObject({ status: 'failed', reason: 'rejected by bob', approval: { decision: { verdict: 'rejected', by: 'bob', comment: null } } });
  });

  test('adds composed inner nodes as events name them, and leaves them out of the sums', () => {
    const s = applyEvents(fromSnapshot(snapshot), [
      { seq: 3, time: at(2), run: 'r1', type: 'node_started', node: 'report/critic', attempt: 1 },
      { seq: 4, time: at(3), run: 'r1', type: 'node_finished', node: 'report/critic', status: 'succeeded', attempts: 1, duration_ms: 1, usage: { input_tokens: 5, output_tokens: 5, cost_usd: 1 } },
    ]);
    expect(s.order).toEqual(['outline', 'summary', 'report', 'report/critic']);
    expect(totals(s).inputTokens).toBe(0);
  });
});

describe('the live log', () => {
  test('splits chunks into lines per node and keeps a bounded tail', () => {
    const log = new LogBuffer(3);
    let told = 0;
    log.subscribe(() => told++);
    log.add([
      { seq: 1, time: at(0), run: 'r1', type: 'node_output', node: 'a', stream: 'stdout', text: 'one\ntwo\n' },
      { seq: 2, time: at(0), run: 'r1', type: 'node_started', node: 'a', attempt: 1 },
      { seq: 3, time: at(0), run: 'r1', type: 'node_output', node: 'a', stream: 'stderr', text: 'three\r\n' },
      { seq: 4, time: at(0), run: 'r1', type: 'node_output', node: 'b', text: 'other' },
    ] as RunEvent[]);
    expect(log.node('a').lines).toEqual([
      { stream: 'stdout', text: 'one' },
      { stream: 'stdout', text: 'two' },
      { stream: 'stderr', text: 'three' },
    ]);
    log.add([{ seq: 5, time: at(0), run: 'r1', type: 'node_output', node: 'a', stream: 'stdout', text: 'four' }] as RunEvent[]);
    expect(log.node('a').lines.map((l) => l.text)).toEqual(['two', 'three', 'four']);
    expect(log.node('a').dropped).toBe(1);
    expect(log.node('b').lines).toEqual([{ stream: 'stdout', text: 'other' }]);
    expect(told).toBe(2);
  });

  test('takes each event once, however often a resumed stream repeats it', () => {
    const log = new LogBuffer();
    const first = { seq: 1, time: at(0), run: 'r1', type: 'node_output', node: 'a', stream: 'stdout', text: 'one' } as RunEvent;
    const second = { seq: 2, time: at(0), run: 'r1', type: 'node_output', node: 'a', stream: 'stdout', text: 'two' } as RunEvent;
    log.add([first]);
    log.add([first, second]);
    log.add([second]);
    expect(log.node('a').lines.map((l) => l.text)).toEqual(['one', 'two']);
    expect(log.lastSeq).toBe(2);
  });
});

describe('the runs list', () => {
  const summary: RunSummary = {
    id: 'r1',
    workflow: 'quickstart',
    status: 'running',
    started: at(0),
    finished: null,
    duration_ms: null,
    usage: null,
    nodes: { total: 4, succeeded: 0, failed: 0, running: 0 },
  };

  test('updates listed runs from the server-wide stream', () => {
    const { runs, reload } = applyGlobalEvents([summary], [
      { seq: 1, time: at(1), run: 'r1', type: 'node_started', node: 'a', attempt: 1 },
      { seq: 2, time: at(2), run: 'r1', type: 'node_started', node: 'b', attempt: 1 },
      { seq: 3, time: at(3), run: 'r1', type: 'node_finished', node: 'a', status: 'succeeded' },
      { seq: 4, time: at(4), run: 'r1', type: 'node_finished', node: 'b', status: 'timed_out' },
      { seq: 5, time: at(5), run: 'r1', type: 'run_finished', status: 'failed', usage: { input_tokens: 1, output_tokens: 2, cost_usd: 0.5 } },
    ]);
    expect(reload).toBe(false);
    expect(runs[0]).toMatchObject({ status: 'failed', finished: at(5), duration_ms: 5000, nodes: { total: 4, succeeded: 1, failed: 1, running: 0 } });
  });

  test('asks for a reload when a run it does not list starts, and ignores other unknown runs', () => {
    expect(applyGlobalEvents([summary], [{ seq: 1, time: at(1), run: 'r2', type: 'run_started' }]).reload).toBe(true);
    const same = [summary];
    expect(applyGlobalEvents(same, [{ seq: 1, time: at(1), run: 'r3', type: 'node_started', attempt: 1 }]).runs).toBe(same);
  });

  test("asks for a reload on the server's resync, which names no run", () => {
    const same = [summary];
    const update = applyGlobalEvents(same, [{ seq: 7, type: 'resync' } as unknown as GlobalEvent]);
    expect(update).toEqual({ runs: same, reload: true });
  });
});
