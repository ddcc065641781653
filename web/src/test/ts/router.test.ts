import { describe, expect, test } from 'vitest';
import { formatDuration } from '../../main/ts/format';
import { href, parseRoute } from '../../main/ts/router';

describe('routes', () => {
  test('every run, node and workflow has a URL that reads back', () => {
    expect(parseRoute(href.run('20261102-ab', 'review/critic', 'log'))).toEqual({ page: 'run', id: '20261102-ab', node: 'review/critic', tab: 'log' });
    expect(parseRoute(href.run('r 1'))).toEqual({ page: 'run', id: 'r 1', node: undefined, tab: undefined });
    expect(parseRoute(href.editor('add-feature', 'plan', 'yaml'))).toEqual({ page: 'editor', name: 'add-feature', node: 'plan', view: 'yaml' });
    expect(parseRoute(href.editor())).toEqual({ page: 'editor', name: undefined, node: undefined, view: 'canvas' });
    expect(parseRoute(href.editor(undefined, 'command-1'))).toEqual({ page: 'editor', name: undefined, node: 'command-1', view: 'canvas' });
    expect(parseRoute(href.editor(undefined, 'command-1', 'yaml'))).toEqual({ page: 'editor', name: undefined, node: 'command-1', view: 'yaml' });
    expect(parseRoute(href.runs({ status: 'failed', workflow: 'x' }))).toEqual({ page: 'runs', status: 'failed', workflow: 'x' });
    expect(parseRoute(href.login('/runs/r1'))).toEqual({ page: 'login', next: '/runs/r1' });
    expect(parseRoute('')).toEqual({ page: 'runs', status: '', workflow: '' });
    expect(parseRoute('#/workflows')).toEqual({ page: 'workflows' });
  });

  test('durations read as a person says them', () => {
    expect([850, 12_345, 245_000, 7_380_000, null].map(formatDuration)).toEqual(['850 ms', '12.3 s', '4 m 05 s', '2 h 03 m', '—']);
  });
});
