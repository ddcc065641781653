/**
 * The graph a workflow file describes: its nodes in file order, the `needs` edges between them,
 * each node's fields, and its inputs. Read from the YAML text, never written back as a whole:
 * changes go through {@link ./edits}, which edit the text minimally. Positions are not part of
 * the file; the canvas computes a layout from the edges.
 */
import { isMap, isScalar, parseDocument, type Document, type Node as YamlNode, type Pair } from 'yaml';

/** The agents a node can name (SPEC §7); `uses` nodes run a composed workflow instead. */
export const AGENTS = ['claude', 'codex', 'gemini', 'command'] as const;

/** The order node keys are written in, as in SPEC §1; a new key goes to its place in it. */
export const NODE_KEY_ORDER = [
  'needs',
  'agent',
  'uses',
  'with',
  'model',
  'args',
  'endpoint',
  'prompt',
  'prompt_file',
  'command',
  'context',
  'checks',
  'outputs',
  'attempts',
  'backoff',
  'timeout',
  'idle_timeout',
  'logs',
  'budget',
  'price',
  'executor',
  'image',
  'docker',
  'env',
  'credentials',
  'continue_on_failure',
  'on_conflict',
  'approval',
] as const;

export type ContextEntry = { file: string } | { url: string } | { node: string } | Record<string, unknown>;
export type CheckEntry =
  | { exists: string | string[] }
  | { run: string; name?: string; timeout?: string }
  | { junit: string; min_tests?: number }
  | { critic: string | { agent?: string; prompt?: string; model?: string } }
  | Record<string, unknown>;

/** One node of the graph, its fields as the file has them (defaults not applied but `agent`). */
export interface GraphNode {
  readonly id: string;
  /** The node's own agent, else the file's `defaults.agent`, else `claude`; `uses` for a composed node. */
  readonly agent: string;
  readonly ownAgent: string | undefined;
  readonly uses: string | undefined;
  readonly needs: readonly string[];
  readonly prompt: string | undefined;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface Edge {
  readonly from: string;
  readonly to: string;
}

export interface InputSpec {
  readonly name: string;
  readonly description: string | undefined;
  readonly required: boolean;
  readonly default: string | undefined;
}

/** A syntax error of the YAML itself (the server reports everything else). */
export interface YamlSyntaxError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface WorkflowGraph {
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly inputs: readonly InputSpec[];
  readonly defaultAgent: string;
  readonly nodes: readonly GraphNode[];
  /** Edges whose both ends are nodes of the file; `needs` naming unknown ids make no edge. */
  readonly edges: readonly Edge[];
  readonly syntaxErrors: readonly YamlSyntaxError[];
}

/** Reads the graph of a workflow text; a text with syntax errors gives an empty graph and the errors. */
export function readGraph(text: string): WorkflowGraph {
  const doc = parseDocument(text, { uniqueKeys: false });
  const syntaxErrors = doc.errors.map((e) => ({
    line: e.linePos?.[0].line ?? 0,
    column: e.linePos?.[0].col ?? 0,
    message: e.message.split('\n')[0],
  }));
  if (syntaxErrors.length > 0) {
    return { name: undefined, description: undefined, inputs: [], defaultAgent: 'claude', nodes: [], edges: [], syntaxErrors };
  }
  return { ...graphOf(doc), syntaxErrors };
}

function graphOf(doc: Document.Parsed): Omit<WorkflowGraph, 'syntaxErrors'> {
  const root = asRecord(doc.toJS({ maxAliasCount: 100 }));
  const defaults = asRecord(root.defaults);
  const defaultAgent = typeof defaults.agent === 'string' ? defaults.agent : 'claude';
  const nodes: GraphNode[] = [];
  for (const [id, raw] of Object.entries(asRecord(root.nodes))) {
    const fields = asRecord(raw);
    const ownAgent = typeof fields.agent === 'string' ? fields.agent : undefined;
    const uses = typeof fields.uses === 'string' ? fields.uses : undefined;
    nodes.push({
      id,
      agent: uses !== undefined && ownAgent === undefined ? 'uses' : (ownAgent ?? defaultAgent),
      ownAgent,
      uses,
      needs: needsOf(fields.needs),
      prompt: typeof fields.prompt === 'string' ? fields.prompt : undefined,
      fields,
    });
  }
  const ids = new Set(nodes.map((n) => n.id));
  const edges = nodes.flatMap((n) => n.needs.filter((from) => ids.has(from)).map((from) => ({ from, to: n.id })));
  const inputs = Object.entries(asRecord(root.inputs)).map(([name, spec]) => {
    const s = asRecord(spec);
    return {
      name,
      description: typeof s.description === 'string' ? s.description : undefined,
      required: s.required === true,
      default: s.default === undefined || s.default === null ? undefined : String(s.default),
    };
  });
  return {
    name: typeof root.name === 'string' ? root.name : undefined,
    description: typeof root.description === 'string' ? root.description : undefined,
    inputs,
    defaultAgent,
    nodes,
    edges,
  };
}

/** `needs` as a list of ids: a single id may be written without the list. */
export function needsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
  return [];
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A place in the file: a node, and within it the path of a field (e.g. `['checks', 1, 'run']`). */
export interface Location {
  /** The node the place belongs to, or undefined outside `nodes`. */
  readonly node: string | undefined;
  /** The path below the node (or from the root outside `nodes`); empty for the node's key itself. */
  readonly field: readonly (string | number)[];
}

/**
 * The node and field at a 1-based line and column of the text, for showing a validation problem
 * where it belongs. A line past the end, or 0 (the file as a whole), is no node and no field.
 */
export function locate(text: string, line: number, column: number): Location {
  if (line < 1) return { node: undefined, field: [] };
  const offset = offsetOf(text, line, column);
  if (offset === undefined) return { node: undefined, field: [] };
  const doc = parseDocument(text, { uniqueKeys: false });
  const root = doc.contents;
  if (!isMap(root)) return { node: undefined, field: [] };
  const top = pairAt(root.items as Pair[], offset);
  if (!top) return { node: undefined, field: [] };
  const topKey = keyOf(top);
  if (topKey === 'nodes' && isMap(top.value)) {
    const nodePair = pairAt(top.value.items as Pair[], offset);
    if (!nodePair) return { node: undefined, field: ['nodes'] };
    return { node: keyOf(nodePair), field: pathWithin(nodePair.value as YamlNode | null, offset) };
  }
  return { node: undefined, field: [topKey, ...pathWithin(top.value as YamlNode | null, offset)] };
}

function offsetOf(text: string, line: number, column: number): number | undefined {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return undefined;
    at = nl + 1;
  }
  return at + Math.max(0, column - 1);
}

function keyOf(pair: Pair): string {
  const k = pair.key as YamlNode | null;
  return isScalar(k) ? String(k.value) : String(k);
}

function span(pair: Pair): [number, number] | undefined {
  const k = (pair.key as YamlNode | null)?.range;
  const v = (pair.value as YamlNode | null)?.range;
  if (!k) return undefined;
  return [k[0], Math.max(k[1], v ? v[1] : k[1])];
}

function pairAt(pairs: readonly Pair[], offset: number): Pair | undefined {
  return pairs.find((pair) => {
    const s = span(pair);
    return s !== undefined && offset >= s[0] && offset <= s[1];
  });
}

function pathWithin(node: YamlNode | null, offset: number): (string | number)[] {
  if (isMap(node)) {
    const pair = pairAt(node.items as Pair[], offset);
    return pair ? [keyOf(pair), ...pathWithin(pair.value as YamlNode | null, offset)] : [];
  }
  if (node && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
    const items = (node as { items: (YamlNode | null)[] }).items;
    const index = items.findIndex((item) => item?.range && offset >= item.range[0] && offset <= item.range[1]);
    return index < 0 ? [] : [index, ...pathWithin(items[index], offset)];
  }
  return [];
}
