import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { deleteIn, getIn, insertAt, renameKey, setIn, YamlEditError } from '../../main/ts/workflow/yamlEdit';
import { changedLines } from './lineDiff';

const commented = readFileSync(new URL('./fixtures/commented.yaml', import.meta.url), 'utf8');

describe('setIn on scalars', () => {
  test('changes only the one line of a quoted prompt, keeping its quotes and comment', () => {
    const after = setIn(commented, ['nodes', 'plan', 'prompt'], 'Write PLAN.md and TODO.md for: {{ inputs.task }}');
    expect(changedLines(commented, after)).toEqual({
      removed: ['    prompt: "Write PLAN.md for: {{ inputs.task }}"   # keep this one short'],
      added: ['    prompt: "Write PLAN.md and TODO.md for: {{ inputs.task }}"   # keep this one short'],
    });
  });

  test('edits one line inside a literal block and keeps the blank line after it', () => {
    const old = parse(commented).nodes.build.prompt as string;
    const after = setIn(commented, ['nodes', 'build', 'prompt'], old.replace('Keep the tests green.', 'Keep every test green.'));
    expect(changedLines(commented, after)).toEqual({
      removed: ['      Keep the tests green.'],
      added: ['      Keep every test green.'],
    });
  });

  test('keeps a folded block folded', () => {
    const after = setIn(commented, ['nodes', 'review', 'prompt'], 'Review it.\n');
    expect(changedLines(commented, after)).toEqual({
      removed: ['      Review the change', '      and say what to fix.'],
      added: ['      Review it.'],
    });
    expect(parse(after).nodes.review.prompt).toBe('Review it.\n');
  });

  test('turns a one-line prompt into a literal block when it gets a second line, moving the comment onto the header', () => {
    const after = setIn(commented, ['nodes', 'plan', 'prompt'], 'Write PLAN.md\nfor {{ inputs.task }}');
    expect(changedLines(commented, after).added).toEqual([
      '    prompt: |-   # keep this one short',
      '      Write PLAN.md',
      '      for {{ inputs.task }}',
    ]);
    expect(parse(after).nodes.plan.prompt).toBe('Write PLAN.md\nfor {{ inputs.task }}');
  });

  test('keeps single quotes, and the four-space indentation of a section', () => {
    const a = setIn(commented, ['description'], "It's single-quoted");
    expect(changedLines(commented, a).added).toEqual(["description: 'It''s single-quoted'"]);
    const b = setIn(commented, ['defaults', 'retries'], 3);
    expect(changedLines(commented, b)).toEqual({ removed: [], added: ['    retries: 3'] });
  });

  test('quotes a plain value that would read back as something else', () => {
    for (const value of ['true', '10', 'a: b', '- x', '{{ inputs.task }}', '#hash', 'null', '']) {
      const after = setIn(commented, ['nodes', 'build', 'agent'], value);
      expect(parse(after).nodes.build.agent).toBe(value);
    }
  });

  test('an equal value changes nothing', () => {
    expect(setIn(commented, ['nodes', 'build', 'agent'], 'codex')).toBe(commented);
    expect(setIn(commented, ['nodes', 'build', 'checks'], parse(commented).nodes.build.checks)).toBe(commented);
  });

  test('edits inside a flow map in place', () => {
    const after = setIn(commented, ['inputs', 'task', 'required'], false);
    expect(changedLines(commented, after).added).toEqual(['  task: {description: "What to build", required: false}']);
  });
});

describe('setIn on new keys and collections', () => {
  test('puts a new node key at its place in the given order', () => {
    const after = setIn(commented, ['nodes', 'plan', 'agent'], 'gemini', { keyOrder: ['needs', 'agent', 'prompt', 'checks'] });
    expect(changedLines(commented, after)).toEqual({ removed: [], added: ['    agent: gemini'] });
    expect(after.indexOf('    agent: gemini')).toBeLessThan(after.indexOf('    prompt: "Write PLAN.md'));
    expect(after.indexOf('  plan:')).toBeLessThan(after.indexOf('    agent: gemini'));
  });

  test('appends a key missing from the order after the last one, above the blank line', () => {
    const after = setIn(commented, ['nodes', 'plan', 'timeout'], '5m');
    expect(after).toContain('      - exists: PLAN.md\n    timeout: 5m\n\n  build:');
  });

  test('creates the maps on the way', () => {
    const after = setIn(commented, ['nodes', 'plan', 'budget', 'usd'], 2);
    expect(changedLines(commented, after).added).toEqual(['    budget: {usd: 2}']);
  });

  test('adds to a flow list and a block list in their own style', () => {
    const a = setIn(commented, ['nodes', 'review', 'needs', 2], 'extra');
    expect(changedLines(commented, a).added).toEqual(['    needs: [plan, build, extra]']);
    const b = setIn(commented, ['nodes', 'build', 'needs', 1], 'extra');
    expect(changedLines(commented, b)).toEqual({ removed: [], added: ['      - extra'] });
  });

  test('adds a check as a block map item, keeping the others', () => {
    const after = insertAt(commented, ['nodes', 'build', 'checks'], 1, { run: 'make lint', name: 'lint' });
    expect(changedLines(commented, after)).toEqual({ removed: [], added: ['      - run: make lint', '        name: lint'] });
    expect(parse(after).nodes.build.checks[1]).toEqual({ run: 'make lint', name: 'lint' });
  });

  test('changes one entry of a list of maps through the whole list', () => {
    const checks = parse(commented).nodes.build.checks;
    checks[0].timeout = '20m';
    const after = setIn(commented, ['nodes', 'build', 'checks'], checks);
    expect(changedLines(commented, after)).toEqual({ removed: ['        timeout: 10m'], added: ['        timeout: 20m'] });
  });

  test('removes a middle item of a list given as a whole', () => {
    const t = insertAt(commented, ['nodes', 'build', 'checks'], 1, { exists: 'x' });
    const checks = parse(t).nodes.build.checks;
    checks.splice(1, 1);
    expect(setIn(t, ['nodes', 'build', 'checks'], checks)).toBe(commented);
  });

  test('replaces a value whose kind changes', () => {
    const after = setIn(commented, ['nodes', 'review', 'needs'], 'plan');
    expect(changedLines(commented, after).added).toEqual(['    needs: plan']);
    const back = setIn(after, ['nodes', 'review', 'needs'], ['plan', 'build']);
    expect(back).toBe(commented);
  });

  test('writes into an empty document', () => {
    expect(parse(setIn('', ['name'], 'x'))).toEqual({ name: 'x' });
    expect(parse(setIn('# only a comment\n', ['nodes', 'a', 'prompt'], 'hi'))).toEqual({ nodes: { a: { prompt: 'hi' } } });
  });

  test('keeps CRLF line breaks', () => {
    const crlf = commented.replace(/\n/g, '\r\n');
    const after = setIn(crlf, ['nodes', 'plan', 'timeout'], '5m');
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    expect(parse(after).nodes.plan.timeout).toBe('5m');
  });
});

describe('deleteIn', () => {
  test('removes a key with its comment lines, leaving the rest as it was', () => {
    const after = deleteIn(commented, ['nodes', 'build', 'outputs']);
    expect(changedLines(commented, after)).toEqual({ removed: ['    outputs:', '      report: {file: REPORT.md}'], added: [] });
  });

  test('removes a whole node with the comment above it and one of the blank lines around it', () => {
    const after = deleteIn(commented, ['nodes', 'review']);
    expect(after.endsWith('      report: {file: REPORT.md}\n')).toBe(true);
    const plan = deleteIn(commented, ['nodes', 'plan']);
    expect(plan).toContain('nodes:\n  build:\n');
  });

  test('removes items from flow and block lists', () => {
    expect(changedLines(commented, deleteIn(commented, ['nodes', 'review', 'needs', 0])).added).toEqual(['    needs: [build]']);
    expect(changedLines(commented, deleteIn(commented, ['nodes', 'review', 'needs', 1])).added).toEqual(['    needs: [plan]']);
    expect(changedLines(commented, deleteIn(commented, ['nodes', 'build', 'checks', 0]))).toEqual({
      removed: ['      - run: make test   # the real suite', '        timeout: 10m'],
      added: [],
    });
  });

  test('leaves an empty list when its last item goes', () => {
    const after = deleteIn(commented, ['nodes', 'build', 'needs', 0]);
    expect(parse(after).nodes.build.needs).toEqual([]);
  });

  test('deleting what is not there changes nothing', () => {
    expect(deleteIn(commented, ['nodes', 'nope'])).toBe(commented);
    expect(deleteIn(commented, ['nodes', 'plan', 'checks', 7])).toBe(commented);
  });
});

describe('errors', () => {
  test('refuses to edit a text with a syntax error, naming its line', () => {
    expect(() => setIn('a: [1, 2\nb: 3\n', ['b'], 4)).toThrow(YamlEditError);
    expect(() => setIn('a: [1, 2\nb: 3\n', ['b'], 4)).toThrow(/line \d+/);
  });

  test('refuses an index past the end of a list', () => {
    expect(() => setIn(commented, ['nodes', 'build', 'checks', 5], { exists: 'x' })).toThrow(/outside the list/);
  });

  test('renames a key in place and refuses a name taken', () => {
    expect(changedLines(commented, renameKey(commented, ['nodes', 'plan'], 'design'))).toEqual({ removed: ['  plan:'], added: ['  design:'] });
    expect(() => renameKey(commented, ['nodes', 'plan'], 'build')).toThrow(/exists already/);
  });

  test('getIn reads values', () => {
    expect(getIn(commented, ['nodes', 'review', 'needs'])).toEqual(['plan', 'build']);
    expect(getIn(commented, ['nodes', 'nope'])).toBeUndefined();
  });
});
