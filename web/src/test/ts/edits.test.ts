import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { applyEdit, freshId } from '../../main/ts/workflow/edits';
import { readGraph } from '../../main/ts/workflow/model';
import { YamlEditError } from '../../main/ts/workflow/yamlEdit';
import { changedLines } from './lineDiff';

const commented = readFileSync(new URL('./fixtures/commented.yaml', import.meta.url), 'utf8');
const examplesDir = new URL('../../../../examples/', import.meta.url);
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ name: f, text: readFileSync(new URL(f, examplesDir), 'utf8') }));

describe('the editor on a commented hand-written file', () => {
  test('an edit of one prompt changes only that line', () => {
    const after = applyEdit(commented, { kind: 'setField', id: 'plan', field: ['prompt'], value: 'Write PLAN.md for {{ inputs.task }}, briefly' });
    expect(changedLines(commented, after)).toEqual({
      removed: ['    prompt: "Write PLAN.md for: {{ inputs.task }}"   # keep this one short'],
      added: ['    prompt: "Write PLAN.md for {{ inputs.task }}, briefly"   # keep this one short'],
    });
  });

  test('adds a node in the style of the file: block map, blank line before it, at the end of nodes', () => {
    const after = applyEdit(commented, {
      kind: 'addNode',
      id: 'docs',
      fields: { prompt: 'Update the docs', needs: ['review'], agent: 'gemini', checks: [{ exists: 'docs/*.md' }] },
    });
    expect(after).toBe(
      commented + '\n  docs:\n    needs: [review]\n    agent: gemini\n    prompt: Update the docs\n    checks:\n      - exists: docs/*.md\n',
    );
    expect(readGraph(after).edges).toContainEqual({ from: 'review', to: 'docs' });
  });

  test('adding and then removing a node gives back the same bytes', () => {
    const added = applyEdit(commented, { kind: 'addNode', id: 'docs', fields: { prompt: 'x' } });
    expect(applyEdit(added, { kind: 'removeNode', id: 'docs' })).toBe(commented);
  });

  test('removing a node also removes it from the needs of others', () => {
    const after = applyEdit(commented, { kind: 'removeNode', id: 'build' });
    const graph = readGraph(after);
    expect(graph.nodes.map((n) => n.id)).toEqual(['plan', 'review']);
    expect(graph.edges).toEqual([{ from: 'plan', to: 'review' }]);
    expect(after).toContain('    needs: [plan]\n');
    expect(after).toContain('# Planning comes first.');
  });

  test('connect adds to needs in its own style, disconnect removes, and the pair is a no-op', () => {
    const a = applyEdit(commented, { kind: 'connect', from: 'plan', to: 'review' });
    expect(a).toBe(commented); // already connected
    const b = applyEdit(commented, { kind: 'connect', from: 'review', to: 'build' });
    expect(changedLines(commented, b)).toEqual({ removed: [], added: ['      - review'] });
    expect(applyEdit(b, { kind: 'disconnect', from: 'review', to: 'build' })).toBe(commented);
  });

  test('connecting a node without needs writes needs first, in flow style', () => {
    const t = applyEdit(commented, { kind: 'addNode', id: 'docs', fields: { prompt: 'x' } });
    const after = applyEdit(t, { kind: 'connect', from: 'plan', to: 'docs' });
    expect(changedLines(t, after)).toEqual({ removed: [], added: ['    needs: [plan]'] });
    expect(after.indexOf('    needs: [plan]')).toBeLessThan(after.indexOf('    prompt: x'));
  });

  test('disconnecting the last need removes the key', () => {
    const after = applyEdit(commented, { kind: 'disconnect', from: 'plan', to: 'build' });
    expect(changedLines(commented, after)).toEqual({ removed: ['    needs:', '      - plan'], added: [] });
  });

  test('a single id written without the list becomes a list when a second one is added', () => {
    const t = commented.replace('    needs: [plan, build]', '    needs: plan');
    const after = applyEdit(t, { kind: 'connect', from: 'build', to: 'review' });
    expect(changedLines(t, after).added).toEqual(['    needs: [plan, build]']);
    expect(applyEdit(applyEdit(t, { kind: 'disconnect', from: 'plan', to: 'review' }), { kind: 'connect', from: 'plan', to: 'review' })).toContain(
      '    needs: [plan]',
    );
  });

  test('edits agent, context, checks, outputs and limits through the form fields', () => {
    let t = commented;
    t = applyEdit(t, { kind: 'setField', id: 'build', field: ['agent'], value: 'claude' });
    t = applyEdit(t, { kind: 'insertItem', id: 'plan', field: ['context'], index: 0, value: { file: 'README.md' } });
    t = applyEdit(t, { kind: 'setField', id: 'build', field: ['checks', 0, 'timeout'], value: '15m' });
    t = applyEdit(t, { kind: 'removeItem', id: 'build', field: ['checks'], index: 1 });
    t = applyEdit(t, { kind: 'setField', id: 'build', field: ['outputs', 'log'], value: { file: 'build.log' } });
    t = applyEdit(t, { kind: 'setField', id: 'build', field: ['attempts'], value: 5 });
    t = applyEdit(t, { kind: 'setField', id: 'build', field: ['budget'], value: { usd: 3, tokens: 100000 } });
    t = applyEdit(t, { kind: 'setField', id: 'review', field: ['timeout'], value: '' });
    const build = parse(t).nodes.build;
    expect(build).toEqual({
      needs: ['plan'],
      agent: 'claude',
      prompt: 'Implement the plan:\n{{ nodes.plan.output }}\n\nKeep the tests green.\n',
      checks: [{ run: 'make test', timeout: '15m' }],
      outputs: { report: { file: 'REPORT.md' }, log: { file: 'build.log' } },
      attempts: 5,
      budget: { usd: 3, tokens: 100000 },
    });
    expect(parse(t).nodes.plan.context).toEqual([{ file: 'README.md' }]);
    expect(t).toContain('      - run: make test   # the real suite\n        timeout: 15m\n');
    expect(t).toContain('    outputs:\n      report: {file: REPORT.md}\n      log: {file: build.log}\n    attempts: 5\n    budget: {usd: 3, tokens: 100000}\n');
    // The context list goes to its place among the node keys: after prompt, before checks.
    expect(t).toContain('    prompt: "Write PLAN.md for: {{ inputs.task }}"   # keep this one short\n    context:\n      - file: README.md\n    checks:\n');
  });

  test('removing the last item of a list field removes the field', () => {
    const after = applyEdit(commented, { kind: 'removeItem', id: 'plan', field: ['checks'], index: 0 });
    expect(changedLines(commented, after)).toEqual({ removed: ['    checks:', '      - exists: PLAN.md'], added: [] });
  });

  test('renaming a node renames its needs, context and template references', () => {
    const after = applyEdit(commented, { kind: 'renameNode', id: 'plan', to: 'design' });
    const doc = parse(after);
    expect(Object.keys(doc.nodes)).toEqual(['design', 'build', 'review']);
    expect(doc.nodes.build.needs).toEqual(['design']);
    expect(doc.nodes.review.needs).toEqual(['design', 'build']);
    expect(doc.nodes.build.prompt).toContain('{{ nodes.design.output }}');
    const renamedBuild = parse(applyEdit(commented, { kind: 'renameNode', id: 'build', to: 'make' }));
    expect(renamedBuild.nodes.review.context).toEqual([{ node: 'make' }, { file: 'docs/*.md' }]);
    expect(applyEdit(applyEdit(commented, { kind: 'renameNode', id: 'plan', to: 'design' }), { kind: 'renameNode', id: 'design', to: 'plan' })).toBe(commented);
  });

  test('refuses bad ids, duplicate ids, self-edges and unknown nodes with a sentence saying what to do', () => {
    expect(() => applyEdit(commented, { kind: 'addNode', id: 'Bad Id', fields: {} })).toThrow(/lower-case letters/);
    expect(() => applyEdit(commented, { kind: 'addNode', id: 'plan', fields: {} })).toThrow(/exists already/);
    expect(() => applyEdit(commented, { kind: 'connect', from: 'plan', to: 'plan' })).toThrow(/cannot need itself/);
    expect(() => applyEdit(commented, { kind: 'setField', id: 'nope', field: ['prompt'], value: 'x' })).toThrow(YamlEditError);
    expect(freshId(commented)).toBe('node-1');
  });

  test('a new workflow starts from an empty nodes map', () => {
    const t = 'version: 1\nname: fresh\nnodes: {}\n';
    const after = applyEdit(t, { kind: 'addNode', id: 'first', fields: { agent: 'claude', prompt: 'Hello' } });
    expect(after).toBe('version: 1\nname: fresh\nnodes:\n  first:\n    agent: claude\n    prompt: Hello\n');
  });
});

describe('the examples of the repository', () => {
  test.each(examples)('$name reads as a graph matching its nodes and needs', ({ text }) => {
    const doc = parse(text);
    const graph = readGraph(text);
    expect(graph.syntaxErrors).toEqual([]);
    expect(graph.nodes.map((n) => n.id)).toEqual(Object.keys(doc.nodes));
    const needs = Object.entries(doc.nodes as Record<string, { needs?: string[] | string }>).flatMap(([id, n]) =>
      [n.needs ?? []].flat().map((from) => ({ from, to: id })),
    );
    expect(graph.edges).toEqual(needs);
  });

  test.each(examples)('$name: each prompt edited and set back, each node removed-and-re-added edge, gives back the same bytes', ({ text }) => {
    const graph = readGraph(text);
    for (const node of graph.nodes) {
      if (node.prompt !== undefined) {
        const edited = applyEdit(text, { kind: 'setField', id: node.id, field: ['prompt'], value: node.prompt + ' (edited)' });
        expect(changedLines(text, edited).removed.length).toBeGreaterThan(0);
        expect(parse(edited).nodes[node.id].prompt).toBe(node.prompt + ' (edited)');
        expect(applyEdit(edited, { kind: 'setField', id: node.id, field: ['prompt'], value: node.prompt })).toBe(text);
      }
      for (const from of node.needs) {
        const cut = applyEdit(text, { kind: 'disconnect', from, to: node.id });
        expect(readGraph(cut).edges).not.toContainEqual({ from, to: node.id });
      }
    }
    const added = applyEdit(text, { kind: 'addNode', id: freshId(text), fields: { agent: 'claude', prompt: 'Added' } });
    expect(applyEdit(added, { kind: 'removeNode', id: freshId(text) })).toBe(text);
  });

  test.each(examples)('$name opened and saved unchanged is byte-identical, also after edits are undone by their inverse', ({ text }) => {
    const graph = readGraph(text);
    const last = graph.nodes[graph.nodes.length - 1];
    const first = graph.nodes[0];
    if (first && last && first !== last && !last.needs.includes(first.id)) {
      const joined = applyEdit(text, { kind: 'connect', from: first.id, to: last.id });
      expect(applyEdit(joined, { kind: 'disconnect', from: first.id, to: last.id })).toBe(text);
    }
    expect(applyEdit(text, { kind: 'setField', id: first.id, field: ['agent'], value: first.ownAgent })).toBe(text);
  });
});
