/**
 * The editor's operations on a workflow text: each takes the text and returns the new text,
 * changed only where the operation must (see {@link ./yamlEdit}). Invalid requests throw a
 * {@link YamlEditError} whose message tells the user what to do.
 */
import { visit, isScalar, parseDocument, type Scalar } from 'yaml';
import { needsOf, NODE_KEY_ORDER } from './model';
import { deleteIn, getIn, insertAt, renameKey, setIn, YamlEditError, type Path } from './yamlEdit';

const ID = /^[a-z0-9][a-z0-9_-]*$/;

/** One change the canvas or the form asks for. */
export type Edit =
  | { readonly kind: 'addNode'; readonly id: string; readonly fields: Readonly<Record<string, unknown>> }
  | { readonly kind: 'removeNode'; readonly id: string }
  | { readonly kind: 'renameNode'; readonly id: string; readonly to: string }
  | { readonly kind: 'connect'; readonly from: string; readonly to: string }
  | { readonly kind: 'disconnect'; readonly from: string; readonly to: string }
  /** Sets (or with `undefined` removes) a field of a node; `field` may go deeper, e.g. `['checks', 0, 'run']`. */
  | { readonly kind: 'setField'; readonly id: string; readonly field: Path; readonly value: unknown }
  /** Inserts an item into a list field of a node (the list is created when missing). */
  | { readonly kind: 'insertItem'; readonly id: string; readonly field: Path; readonly index: number; readonly value: unknown }
  | { readonly kind: 'removeItem'; readonly id: string; readonly field: Path; readonly index: number };

/** Applies one edit to the workflow text. */
export function applyEdit(text: string, edit: Edit): string {
  switch (edit.kind) {
    case 'addNode':
      return addNode(text, edit.id, edit.fields);
    case 'removeNode':
      return removeNode(text, edit.id);
    case 'renameNode':
      return renameNode(text, edit.id, edit.to);
    case 'connect':
      return connect(text, edit.from, edit.to);
    case 'disconnect':
      return disconnect(text, edit.from, edit.to);
    case 'setField':
      requireNode(text, edit.id);
      return setIn(text, ['nodes', edit.id, ...edit.field], emptyToUndefined(edit.value), { keyOrder: NODE_KEY_ORDER });
    case 'insertItem': {
      requireNode(text, edit.id);
      const path = ['nodes', edit.id, ...edit.field];
      const list = getIn(text, path);
      if (list === undefined || list === null) return setIn(text, path, [edit.value], { keyOrder: NODE_KEY_ORDER });
      if (!Array.isArray(list)) throw new YamlEditError(`'${edit.field.join('.')}' of node '${edit.id}' is not a list.`);
      return insertAt(text, path, Math.min(edit.index, list.length), edit.value);
    }
    case 'removeItem': {
      const path = ['nodes', edit.id, ...edit.field];
      const list = getIn(text, path);
      if (Array.isArray(list) && list.length === 1) return deleteIn(text, path);
      return deleteIn(text, [...path, edit.index]);
    }
  }
}

/** A form's empty text field means the key goes away, not `key: ""`. */
function emptyToUndefined(value: unknown): unknown {
  return value === '' ? undefined : value;
}

function nodeIds(text: string): string[] {
  const nodes = getIn(text, ['nodes']);
  return nodes && typeof nodes === 'object' && !Array.isArray(nodes) ? Object.keys(nodes) : [];
}

function requireNode(text: string, id: string): void {
  if (!nodeIds(text).includes(id)) throw new YamlEditError(`There is no node '${id}'.`);
}

/** A fresh id like `node-3` that the file does not use yet. */
export function freshId(text: string, base = 'node'): string {
  const ids = new Set(nodeIds(text));
  for (let i = 1; ; i++) {
    const id = `${base}-${i}`;
    if (!ids.has(id)) return id;
  }
}

function checkId(text: string, id: string): void {
  if (!ID.test(id)) {
    throw new YamlEditError(
      `'${id}' is not a node id: use lower-case letters, digits, '-' and '_', starting with a letter or digit.`,
    );
  }
  if (nodeIds(text).includes(id)) throw new YamlEditError(`A node '${id}' exists already: choose another id.`);
}

function addNode(text: string, id: string, fields: Readonly<Record<string, unknown>>): string {
  checkId(text, id);
  const ordered: Record<string, unknown> = {};
  for (const key of NODE_KEY_ORDER) if (fields[key] !== undefined) ordered[key] = fields[key];
  for (const [key, value] of Object.entries(fields)) if (!(key in ordered) && value !== undefined) ordered[key] = value;
  const nodes = getIn(text, ['nodes']);
  if (nodes === undefined || nodes === null || (typeof nodes === 'object' && Object.keys(nodes as object).length === 0)) {
    // No node yet (or `nodes: {}`): write the whole `nodes` map in block style.
    return setIn(text, ['nodes'], { [id]: ordered }, { blockLevels: 2 });
  }
  return setIn(text, ['nodes', id], ordered, { blockLevels: 1 });
}

function removeNode(text: string, id: string): string {
  requireNode(text, id);
  let t = text;
  for (const other of nodeIds(t)) {
    if (other !== id && needsOf(getIn(t, ['nodes', other, 'needs'])).includes(id)) t = disconnect(t, id, other);
  }
  return deleteIn(t, ['nodes', id]);
}

function connect(text: string, from: string, to: string): string {
  requireNode(text, from);
  requireNode(text, to);
  if (from === to) throw new YamlEditError(`A node cannot need itself ('${from}').`);
  const path = ['nodes', to, 'needs'];
  const current = getIn(text, path);
  const needs = needsOf(current);
  if (needs.includes(from)) return text;
  if (Array.isArray(current)) return insertAt(text, path, current.length, from);
  return setIn(text, path, [...needs, from], { keyOrder: NODE_KEY_ORDER });
}

function disconnect(text: string, from: string, to: string): string {
  const path = ['nodes', to, 'needs'];
  const current = getIn(text, path);
  if (typeof current === 'string') return current === from ? deleteIn(text, path) : text;
  if (!Array.isArray(current)) return text;
  const index = current.map(String).indexOf(from);
  if (index < 0) return text;
  return current.length === 1 ? deleteIn(text, path) : deleteIn(text, [...path, index]);
}

/**
 * Renames a node and every reference to it: other nodes' `needs`, `context: [{node: ID}]`, and
 * `{{ nodes.ID.… }}` in any string of the file.
 */
function renameNode(text: string, id: string, to: string): string {
  requireNode(text, id);
  if (id === to) return text;
  checkId(text, to);
  let t = renameKey(text, ['nodes', id], to);
  for (const other of nodeIds(t)) {
    const needs = getIn(t, ['nodes', other, 'needs']);
    if (typeof needs === 'string' && needs === id) t = setIn(t, ['nodes', other, 'needs'], to);
    if (Array.isArray(needs)) {
      needs.forEach((n, i) => {
        if (String(n) === id) t = setIn(t, ['nodes', other, 'needs', i], to);
      });
    }
    const context = getIn(t, ['nodes', other, 'context']);
    if (Array.isArray(context)) {
      context.forEach((c, i) => {
        if (c && typeof c === 'object' && (c as Record<string, unknown>).node === id) {
          t = setIn(t, ['nodes', other, 'context', i, 'node'], to);
        }
      });
    }
  }
  const reference = new RegExp(`(\\{\\{\\s*nodes\\.)${id.replace(/[-]/g, '\\-')}(?=[.\\s}])`, 'g');
  for (const { path, value } of stringScalars(t)) {
    if (reference.test(value)) {
      reference.lastIndex = 0;
      t = setIn(t, path, value.replace(reference, `$1${to}`));
    }
    reference.lastIndex = 0;
  }
  return t;
}

function stringScalars(text: string): { path: (string | number)[]; value: string }[] {
  const found: { path: (string | number)[]; value: string }[] = [];
  const doc = parseDocument(text, { uniqueKeys: false });
  visit(doc, {
    Scalar(key, node: Scalar, ancestry) {
      if (key === 'key' || typeof node.value !== 'string') return;
      const path: (string | number)[] = [];
      for (let i = 1; i < ancestry.length; i++) {
        const a = ancestry[i];
        if ('key' in (a as object) && 'value' in (a as object)) {
          const k = (a as { key: unknown }).key;
          path.push(isScalar(k) ? String(k.value) : String(k));
        } else if (i + 1 <= ancestry.length && 'items' in (a as object)) {
          const next = i + 1 < ancestry.length ? ancestry[i + 1] : node;
          const items = (a as { items: unknown[] }).items;
          const index = items.indexOf(next);
          if (index >= 0 && !('key' in (next as object) && 'value' in (next as object))) path.push(index);
        }
      }
      found.push({ path, value: node.value });
    },
  });
  return found;
}
