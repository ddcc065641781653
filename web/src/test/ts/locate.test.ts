import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { locate, readGraph } from '../../main/ts/workflow/model';

const commented = readFileSync(new URL('./fixtures/commented.yaml', import.meta.url), 'utf8');

/** The 1-based line and column of the first occurrence of `needle`. */
function pos(text: string, needle: string): [number, number] {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`no ${needle}`);
  const before = text.slice(0, at).split('\n');
  return [before.length, before[before.length - 1].length + 1];
}

describe('locate maps a problem position to its node and field', () => {
  test.each([
    ['codex', 'build', ['agent']],
    ['make test', 'build', ['checks', 0, 'run']],
    ['10m', 'build', ['checks', 0, 'timeout']],
    ['build/test-results', 'build', ['checks', 1, 'junit']],
    ['REPORT.md', 'build', ['outputs', 'report', 'file']],
    ['Keep the tests green', 'build', ['prompt']],
    ['[plan, build]', 'review', ['needs']],
    ['docs/*.md', 'review', ['context', 1, 'file']],
    ['plan:', 'plan', []],
  ] as const)('%s is in node %s at %j', (needle, node, field) => {
    const [line, column] = pos(commented, needle);
    expect(locate(commented, line, column)).toEqual({ node, field });
  });

  test('a needs item points at the list entry', () => {
    const [line, column] = pos(commented, 'build]');
    expect(locate(commented, line, column)).toEqual({ node: 'review', field: ['needs', 1] });
  });

  test('outside nodes it gives the top-level path, and line 0 is the whole file', () => {
    const [line, column] = pos(commented, 'required: true');
    expect(locate(commented, line, column)).toEqual({ node: undefined, field: ['inputs', 'task', 'required'] });
    expect(locate(commented, 0, 0)).toEqual({ node: undefined, field: [] });
    expect(locate(commented, 999, 1)).toEqual({ node: undefined, field: [] });
  });

  test('a file with a syntax error reads as no nodes and the error with its line', () => {
    const graph = readGraph('nodes:\n  a: [1, 2\n  b: {}\n');
    expect(graph.nodes).toEqual([]);
    expect(graph.syntaxErrors[0].line).toBeGreaterThan(0);
  });

  test('reads inputs, the default agent and composed nodes', () => {
    const graph = readGraph(readFileSync(new URL('../../../../examples/add-feature.yaml', import.meta.url), 'utf8'));
    expect(graph.inputs).toEqual([
      { name: 'task', description: 'What to build', required: true, default: undefined },
      { name: 'base', description: 'The branch to start from', required: false, default: 'main' },
    ]);
    expect(graph.nodes.find((n) => n.id === 'plan')?.agent).toBe('claude');
    expect(graph.nodes.find((n) => n.id === 'backend')?.agent).toBe('codex');
    expect(graph.nodes.find((n) => n.id === 'review')).toMatchObject({ agent: 'uses', uses: './agents/review.yaml' });
  });
});

describe('placeProblems', () => {
  test('puts a problem on its node and field, one in a composed file on the node that uses it, the rest on the workflow', async () => {
    const { placeProblems, concerns } = await import('../../main/ts/workflow/problems');
    const text = readFileSync(new URL('../../../../examples/add-feature.yaml', import.meta.url), 'utf8');
    const [line, column] = pos(text, 'gpt-5-codex');
    const placed = placeProblems(text, readGraph(text), [
      { file: 'examples/add-feature.yaml', line, column, message: 'unknown model', hint: null },
      { file: 'examples/agents/review.yaml', line: 3, column: 1, message: 'bad input', hint: 'did you mean focus?' },
      { file: 'examples/add-feature.yaml', line: 0, column: 0, message: 'whole file', hint: null },
    ]);
    expect(placed.map((p) => [p.node, p.field])).toEqual([
      ['backend', ['model']],
      ['review', ['uses']],
      [undefined, []],
    ]);
    expect(concerns(placed[0], 'backend', ['model'])).toBe(true);
    expect(concerns(placed[0], 'backend', ['prompt'])).toBe(false);
    expect(concerns(placed[0], 'backend', [])).toBe(true);
  });
});
