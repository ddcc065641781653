/**
 * Minimal edits to YAML text. Every edit locates its target through the source ranges of the
 * parsed `yaml` Document and splices new text into exactly that place, so comments, key order,
 * quoting and blank lines of everything it does not touch stay byte-identical. The text is the
 * truth; the Document is only the map of where things are, parsed again after each edit.
 *
 * New values are rendered in the style the example workflows use: block maps, `key: [a, b]` and
 * `key: {file: x}` for short collections of scalars, `|` blocks for multi-line strings, plain
 * scalars unless the value would read back as something else.
 */
import {
  CST,
  Document,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parse as parseYaml,
  parseDocument,
  type Node as YamlNode,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

/** A key in a map or an index in a sequence, from the document's root. */
export type Path = readonly (string | number)[];

/** An edit that cannot be made, with a sentence saying why and what to do. */
export class YamlEditError extends Error {
  override name = 'YamlEditError';
}

/** Options of {@link setIn}. */
export interface SetOptions {
  /**
   * The preferred order of keys in the map a new key is added to: it goes before the first
   * existing key that comes after it in this list, else last.
   */
  readonly keyOrder?: readonly string[];
  /**
   * How many levels of a new map or list are written in block style even when short: 1 for a new
   * node (its fields), 2 for a new `nodes` map holding one.
   */
  readonly blockLevels?: number;
}

/** A parsed text with what edits need to know about its layout. */
export interface ParsedYaml {
  readonly text: string;
  readonly doc: Document.Parsed;
  /** The line break the file uses. */
  readonly nl: string;
  /** Spaces per indentation level, as the file's first nested map shows (default 2). */
  readonly step: number;
}

/** Parses text for editing; throws {@link YamlEditError} naming the first syntax error. */
export function parseForEdit(text: string): ParsedYaml {
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
  const error = doc.errors[0];
  if (error) {
    const where = error.linePos ? `line ${error.linePos[0].line}, column ${error.linePos[0].col}` : 'the file';
    throw new YamlEditError(
      `The YAML has a syntax error at ${where} (${firstLine(error.message)}): fix it in the YAML tab first.`,
    );
  }
  return { text, doc, nl: text.includes('\r\n') ? '\r\n' : '\n', step: indentStep(text, doc) };
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

function indentStep(text: string, doc: Document.Parsed): number {
  const root = doc.contents;
  if (!isMap(root)) return 2;
  for (const pair of root.items) {
    const v = pair.value;
    if ((isMap(v) || isSeq(v)) && !v.flow && v.items.length > 0 && isScalar(pair.key) && pair.key.range) {
      const first = v.items[0];
      const start = isPair(first) ? (first.key as YamlNode | null)?.range?.[0] : v.range?.[0];
      if (start === undefined) continue;
      const step = column(text, start) - column(text, pair.key.range[0]);
      if (step > 0 && step <= 8) return step;
    }
  }
  return 2;
}

/** The JS value at `path`, or undefined. */
export function getIn(text: string, path: Path): unknown {
  const node = parseForEdit(text).doc.getIn(path, true) as YamlNode | undefined;
  return node === undefined ? undefined : toJs(node);
}

function toJs(node: YamlNode | null | undefined): unknown {
  if (node === null || node === undefined) return null;
  return (node as YamlNode).toJSON();
}

/**
 * Sets the value at `path` (keys and indices from the root) to `value`, making only the change
 * needed: an equal value changes nothing, a scalar is replaced in place keeping its quoting style
 * where it can, maps and sequences are compared entry by entry. Missing maps on the way are
 * created; an index equal to a sequence's length appends. `undefined` deletes.
 */
export function setIn(text: string, path: Path, value: unknown, options: SetOptions = {}): string {
  if (value === undefined) return deleteIn(text, path);
  const p = parseForEdit(text);
  const root = p.doc.contents as YamlNode | null;
  if (root === null || (isScalar(root) && root.value === null)) {
    return replaceRoot(p, nested(path, value));
  }
  let holder: Holder = { kind: 'root', node: root };
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const node: YamlNode | null = holder.node;
    const rest = path.slice(i + 1);
    if (isMap(node)) {
      const pair = findPair(node, key);
      if (!pair) return insertPair(p, node, String(key), nested(rest, value), options);
      holder = { kind: 'pair', map: node, pair, node: (pair.value as YamlNode | null) ?? null };
    } else if (isSeq(node) && typeof key === 'number') {
      if (key < 0 || key > node.items.length) {
        throw new YamlEditError(`Index ${key} is outside the list at ${describe(path.slice(0, i))} (${node.items.length} items).`);
      }
      if (key === node.items.length) return insertItem(p, node, key, nested(rest, value));
      holder = { kind: 'item', seq: node, index: key, node: (node.items[key] as YamlNode | null) ?? null };
    } else {
      return replaceValue(p, holder, nested(path.slice(i), value));
    }
  }
  return setNode(p, path, holder, value, options);
}

/** Deletes the entry at `path`; deleting what is not there changes nothing. */
export function deleteIn(text: string, path: Path): string {
  if (path.length === 0) throw new YamlEditError('Cannot delete the whole document.');
  const p = parseForEdit(text);
  const parent = p.doc.getIn(path.slice(0, -1), true) as YamlNode | undefined;
  const key = path[path.length - 1];
  if (isMap(parent)) {
    const pair = findPair(parent, key);
    return pair ? deletePair(p, parent, pair, path) : text;
  }
  if (isSeq(parent) && typeof key === 'number' && key >= 0 && key < parent.items.length) {
    return deleteItem(p, parent, key, path);
  }
  return text;
}

/** Renames the key at `path` (its last element) to `newKey`, leaving its value as it is. */
export function renameKey(text: string, path: Path, newKey: string): string {
  const p = parseForEdit(text);
  const parent = p.doc.getIn(path.slice(0, -1), true) as YamlNode | undefined;
  const pair = isMap(parent) ? findPair(parent, path[path.length - 1]) : undefined;
  if (!pair || !isScalar(pair.key) || !pair.key.range) {
    throw new YamlEditError(`There is no key ${describe(path)} to rename.`);
  }
  if (findPair(parent as YAMLMap, newKey)) {
    throw new YamlEditError(`${describe([...path.slice(0, -1), newKey])} exists already: choose another name.`);
  }
  const key = pair.key as Scalar;
  const rendered = renderScalar(newKey, { indent: 0, inFlow: (parent as YAMLMap).flow === true, implicitKey: true, prefer: key.type });
  return splice(p.text, key.range![0], key.range![1], rendered);
}

// ---------------------------------------------------------------------------------------------
// Holders: where a node sits, so that it can be replaced or removed.

type Holder =
  | { kind: 'root'; node: YamlNode | null }
  | { kind: 'pair'; map: YAMLMap; pair: Pair; node: YamlNode | null }
  | { kind: 'item'; seq: YAMLSeq; index: number; node: YamlNode | null };

function findPair(map: YAMLMap, key: string | number): Pair | undefined {
  return map.items.find((pair) => {
    const k = pair.key as YamlNode | null;
    return isScalar(k) ? String(k.value) === String(key) : String(k) === String(key);
  }) as Pair | undefined;
}

function describe(path: Path): string {
  return path.length === 0 ? 'the document' : `'${path.map(String).join('.')}'`;
}

function setNode(p: ParsedYaml, path: Path, holder: Holder, value: unknown, options: SetOptions): string {
  const node = holder.node;
  if (isScalarValue(value) && (node === null || isScalar(node))) {
    if (node !== null && (node as Scalar).value === value) return p.text;
    const range = node?.range;
    if (!node || !range || (node.value === null && range[0] === range[1])) {
      return replaceValue(p, holder, value);
    }
    return replaceScalar(p, holder, node as Scalar, value);
  }
  if (isCollection(node) && node.flow && node.items.length === 0 && !isScalarValue(value)) {
    // `nodes: {}` or `needs: []` getting content: written anew, in block style where asked.
    return replaceValue(p, holder, value, options.blockLevels);
  }
  if (Array.isArray(value) && isSeq(node)) return diffSeq(p.text, path, toJs(node) as unknown[], value, options);
  if (isPlainObject(value) && isMap(node)) return diffMap(p.text, path, toJs(node) as Record<string, unknown>, value, options);
  if (deepEqual(toJs(node), value)) return p.text;
  return replaceValue(p, holder, value);
}

function diffMap(text: string, path: Path, old: Record<string, unknown>, value: Record<string, unknown>, options: SetOptions): string {
  let t = text;
  for (const key of Object.keys(old)) {
    if (!(key in value) || value[key] === undefined) t = deleteIn(t, [...path, key]);
  }
  for (const [key, v] of Object.entries(value)) {
    if (v !== undefined && !deepEqual(old[key], v)) t = setIn(t, [...path, key], v, options);
  }
  return t;
}

function diffSeq(text: string, path: Path, old: unknown[], value: unknown[], options: SetOptions): string {
  let prefix = 0;
  while (prefix < old.length && prefix < value.length && deepEqual(old[prefix], value[prefix])) prefix++;
  let suffix = 0;
  while (
    suffix < old.length - prefix &&
    suffix < value.length - prefix &&
    deepEqual(old[old.length - 1 - suffix], value[value.length - 1 - suffix])
  ) {
    suffix++;
  }
  const oldMid = old.length - prefix - suffix;
  const newMid = value.length - prefix - suffix;
  if (newMid === 0 && oldMid === old.length) {
    // Every item goes: keep the key with an empty list rather than deleting lines one by one.
    return setRaw(text, path, []);
  }
  let t = text;
  const common = Math.min(oldMid, newMid);
  for (let j = 0; j < common; j++) t = setIn(t, [...path, prefix + j], value[prefix + j], options);
  for (let j = common; j < oldMid; j++) t = deleteIn(t, [...path, prefix + common]);
  for (let j = common; j < newMid; j++) t = insertAt(t, path, prefix + j, value[prefix + j]);
  return t;
}

function setRaw(text: string, path: Path, value: unknown): string {
  const p = parseForEdit(text);
  const parent = p.doc.getIn(path.slice(0, -1), true) as YamlNode;
  const key = path[path.length - 1];
  if (isMap(parent)) {
    const pair = findPair(parent, key)!;
    return replaceValue(p, { kind: 'pair', map: parent, pair, node: pair.value as YamlNode }, value);
  }
  if (isSeq(parent)) {
    const index = key as number;
    return replaceValue(p, { kind: 'item', seq: parent, index, node: parent.items[index] as YamlNode }, value);
  }
  return replaceRoot(p, value);
}

/** Inserts `value` into the sequence at `path` before `index` (the length appends). */
export function insertAt(text: string, path: Path, index: number, value: unknown): string {
  const p = parseForEdit(text);
  const seq = path.length === 0 ? p.doc.contents : (p.doc.getIn(path, true) as YamlNode | undefined);
  if (!isSeq(seq)) throw new YamlEditError(`${describe(path)} is not a list.`);
  if (index < 0 || index > seq.items.length) {
    throw new YamlEditError(`Index ${index} is outside the list at ${describe(path)} (${seq.items.length} items).`);
  }
  return insertItem(p, seq, index, value);
}

// ---------------------------------------------------------------------------------------------
// The primitive text changes.

function replaceScalar(p: ParsedYaml, holder: Holder, node: Scalar, value: ScalarValue): string {
  const [start, valueEnd] = node.range!;
  const inFlow = inFlowCollection(holder);
  const oldBlock = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  const indent = oldBlock ? blockContentIndent(p, node) ?? childIndent(p, holder) : childIndent(p, holder);
  const rendered = renderScalar(value, { indent, inFlow, prefer: node.type });
  const newBlock = rendered.startsWith('|') || rendered.startsWith('>');
  if (oldBlock) {
    // Keep the blank lines that follow the block (they belong to the layout, not the value) and a
    // comment on the header line.
    const end = lineEndAfter(p.text, contentEnd(p.text, start, valueEnd));
    const header = p.text.slice(start, p.text.indexOf('\n', start) < 0 ? valueEnd : p.text.indexOf('\n', start));
    const comment = header.match(/\s+#.*$/)?.[0] ?? '';
    if (newBlock) {
      return splice(p.text, start, end, withHeaderComment(rendered, comment, p.nl));
    }
    return splice(p.text, start, end, rendered + comment + p.nl);
  }
  if (newBlock) {
    // A flow scalar becomes a block: the rest of its line (a comment) moves onto the header.
    const lineEnd = lineEndAfter(p.text, valueEnd);
    const rest = p.text.slice(valueEnd, lineEnd).replace(/\r?\n$/, '');
    return splice(p.text, start, lineEnd, withHeaderComment(rendered, rest.trimEnd(), p.nl));
  }
  return splice(p.text, start, valueEnd, rendered);
}

function withHeaderComment(block: string, comment: string, nl: string): string {
  const i = block.indexOf('\n');
  const head = block.slice(0, i);
  const body = block.slice(i + 1).replace(/\n$/, '');
  return head + comment + nl + body.split('\n').join(nl) + nl;
}

function insertPair(p: ParsedYaml, map: YAMLMap, key: string, value: unknown, options: SetOptions): string {
  const keyOrder = options.keyOrder;
  if (map.flow) {
    const entry = `${renderScalar(key, { indent: 0, inFlow: true, implicitKey: true })}: ${renderFlow(value)}`;
    if (map.items.length === 0) return splice(p.text, map.range![0] + 1, map.range![0] + 1, entry);
    const last = map.items[map.items.length - 1];
    const end = pairEnd(p.text, last);
    return splice(p.text, end, end, `, ${entry}`);
  }
  if (map.items.length === 0) throw new YamlEditError('Cannot add to an empty block map.');
  const firstKey = map.items[0].key as YamlNode;
  const indent = column(p.text, firstKey.range![0]);
  const spaced = blankBetweenItems(p.text, map.items.map((item) => pairStart(p.text, item)));
  let at = -1;
  if (keyOrder && keyOrder.includes(key)) {
    const rank = keyOrder.indexOf(key);
    const next = map.items.find((item) => {
      const r = keyOrder.indexOf(String((item.key as Scalar).value));
      return r > rank;
    });
    if (next) at = leadingStart(p.text, pairStart(p.text, next), indent);
  }
  const rendered = renderPair(p, key, value, indent, options.blockLevels ?? 0).split('\n').join(p.nl) + p.nl;
  if (at >= 0) return splice(p.text, at, at, spaced ? rendered + p.nl : rendered);
  const end = ensureNewlineAt(p, lineEndAfter(p.text, pairEnd(p.text, map.items[map.items.length - 1])));
  return splice(end.text, end.at, end.at, spaced ? p.nl + rendered : rendered);
}

function insertItem(p: ParsedYaml, seq: YAMLSeq, index: number, value: unknown): string {
  if (seq.flow) {
    const rendered = renderFlow(value);
    if (seq.items.length === 0) return splice(p.text, seq.range![0] + 1, seq.range![0] + 1, rendered);
    if (index < seq.items.length) {
      const at = (seq.items[index] as YamlNode).range![0];
      return splice(p.text, at, at, `${rendered}, `);
    }
    const end = nodeEnd(p.text, seq.items[seq.items.length - 1] as YamlNode);
    return splice(p.text, end, end, `, ${rendered}`);
  }
  if (seq.items.length === 0) throw new YamlEditError('Cannot add to an empty block list.');
  const dash = dashBefore(p.text, seq.items[0] as YamlNode, seq);
  const indent = column(p.text, dash);
  const rendered = renderBlock(p, [value], indent).split('\n').join(p.nl) + p.nl;
  if (index < seq.items.length) {
    const at = leadingStart(p.text, lineStart(p.text, dashBefore(p.text, seq.items[index] as YamlNode, seq)), indent);
    return splice(p.text, at, at, rendered);
  }
  const end = ensureNewlineAt(p, lineEndAfter(p.text, nodeEnd(p.text, seq.items[seq.items.length - 1] as YamlNode)));
  return splice(end.text, end.at, end.at, rendered);
}

function deletePair(p: ParsedYaml, map: YAMLMap, pair: Pair, path: Path): string {
  const index = map.items.indexOf(pair);
  if (map.flow) return deleteFlowEntry(p, map.items.map((item) => [pairStart(p.text, item), pairEnd(p.text, item)]), index);
  if (map.items.length === 1 && path.length > 1) return setRaw(p.text, path.slice(0, -1), {});
  const indent = column(p.text, pairStart(p.text, pair));
  return deleteLines(p, leadingStart(p.text, lineStart(p.text, pairStart(p.text, pair)), indent), lineEndAfter(p.text, pairEnd(p.text, pair)), indent);
}

function deleteItem(p: ParsedYaml, seq: YAMLSeq, index: number, path: Path): string {
  const items = seq.items as YamlNode[];
  if (seq.flow) return deleteFlowEntry(p, items.map((item) => [item.range![0], nodeEnd(p.text, item)]), index);
  if (items.length === 1) return setRaw(p.text, path.slice(0, -1), []);
  const dash = dashBefore(p.text, items[index], seq);
  const start = leadingStart(p.text, lineStart(p.text, dash), column(p.text, dash));
  return deleteLines(p, start, lineEndAfter(p.text, nodeEnd(p.text, items[index])), column(p.text, dash));
}

function deleteFlowEntry(p: ParsedYaml, ranges: [number, number][], index: number): string {
  const [start, end] = ranges[index];
  if (index + 1 < ranges.length) return splice(p.text, start, ranges[index + 1][0], '');
  if (index > 0) return splice(p.text, ranges[index - 1][1], end, '');
  return splice(p.text, start, end, '');
}

/** Removes whole lines [from, to); one of two blank lines that would meet goes too. */
function deleteLines(p: ParsedYaml, from: number, to: number, indent: number): string {
  let end = to;
  const before = from === 0 ? '' : p.text.slice(lineStart(p.text, from - 1), from - 1);
  const blankBefore = from === 0 || before.trim() === '';
  // The first entry under its parent's key: a blank line after it separated it from the next.
  const firstUnderParent = !blankBefore && before.search(/\S/) < indent;
  let start = from;
  if ((blankBefore || firstUnderParent) && end < p.text.length && isBlankLine(p.text, end)) end = nextLineStart(p.text, end);
  else if (blankBefore && from > 0 && end === p.text.length) start = lineStart(p.text, from - 1);
  return splice(p.text, start, end, '');
}

function replaceValue(p: ParsedYaml, holder: Holder, value: unknown, blockLevels = 0): string {
  switch (holder.kind) {
    case 'root':
      return replaceRoot(p, value);
    case 'pair': {
      const { map, pair } = holder;
      const key = String((pair.key as Scalar).value);
      if (map.flow) {
        const entry = `${renderScalar(key, { indent: 0, inFlow: true, implicitKey: true })}: ${renderFlow(value)}`;
        return splice(p.text, pairStart(p.text, pair), pairEnd(p.text, pair), entry);
      }
      const start = lineStart(p.text, pairStart(p.text, pair));
      const indent = column(p.text, pairStart(p.text, pair));
      const end = lineEndAfter(p.text, pairEnd(p.text, pair));
      const tail = p.text.slice(pairEnd(p.text, pair), end);
      const rendered = renderPair(p, key, value, indent, blockLevels).split('\n').join(p.nl);
      return splice(p.text, start, end, rendered + (tail.endsWith('\n') ? p.nl : ''));
    }
    case 'item': {
      const { seq, index } = holder;
      const item = seq.items[index] as YamlNode;
      if (seq.flow) return splice(p.text, item.range![0], nodeEnd(p.text, item), renderFlow(value));
      const dash = dashBefore(p.text, item, seq);
      const end = lineEndAfter(p.text, nodeEnd(p.text, item));
      const rendered = renderBlock(p, [value], column(p.text, dash)).split('\n').join(p.nl);
      const tail = p.text.slice(nodeEnd(p.text, item), end);
      return splice(p.text, lineStart(p.text, dash), end, rendered + (tail.endsWith('\n') ? p.nl : ''));
    }
  }
}

function replaceRoot(p: ParsedYaml, value: unknown): string {
  const rendered = renderBlock(p, value, 0).split('\n').join(p.nl) + p.nl;
  const root = p.doc.contents as YamlNode | null;
  if (root && root.range && !(isScalar(root) && root.value === null)) {
    return splice(p.text, root.range[0], lineEndAfter(p.text, nodeEnd(p.text, root)), rendered);
  }
  const sep = p.text.length > 0 && !p.text.endsWith('\n') ? p.nl : '';
  return p.text + sep + rendered;
}

// ---------------------------------------------------------------------------------------------
// Positions.

function splice(text: string, from: number, to: number, insert: string): string {
  return text.slice(0, from) + insert + text.slice(to);
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function column(text: string, pos: number): number {
  return pos - lineStart(text, pos);
}

/** The position after the line break that ends the line holding `pos - 1` (or the text's end). */
function lineEndAfter(text: string, pos: number): number {
  if (pos > 0 && text[pos - 1] === '\n') return pos;
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl + 1;
}

/** The start of the line after the one that starts at `start`. */
function nextLineStart(text: string, start: number): number {
  const nl = text.indexOf('\n', start);
  return nl < 0 ? text.length : nl + 1;
}

function ensureNewlineAt(p: ParsedYaml, at: number): { text: string; at: number } {
  if (at === p.text.length && at > 0 && p.text[at - 1] !== '\n') {
    return { text: p.text + p.nl, at: at + p.nl.length };
  }
  return { text: p.text, at };
}

function isBlankLine(text: string, start: number): boolean {
  const nl = text.indexOf('\n', start);
  return text.slice(start, nl < 0 ? text.length : nl).trim() === '';
}

/** The end of the last character that is not white space in [start, end). */
function contentEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1])) e--;
  return e;
}

function nodeEnd(text: string, node: YamlNode | null): number {
  if (!node || !node.range) return 0;
  return contentEnd(text, node.range[0], node.range[1]);
}

function pairStart(_text: string, pair: Pair): number {
  const key = pair.key as YamlNode | null;
  return key?.range?.[0] ?? (pair.value as YamlNode).range![0];
}

function pairEnd(text: string, pair: Pair): number {
  const value = pair.value as YamlNode | null;
  const keyEnd = nodeEnd(text, pair.key as YamlNode);
  if (!value || !value.range || value.range[0] === value.range[1]) {
    // `key:` with no value: the pair ends at its colon.
    const colon = text.indexOf(':', keyEnd);
    return colon < 0 ? keyEnd : colon + 1;
  }
  return Math.max(keyEnd, nodeEnd(text, value));
}

/** Moves a line start up over the comment lines directly above it at the same indentation. */
function leadingStart(text: string, start: number, indent: number): number {
  let at = lineStart(text, start);
  while (at > 0) {
    const prev = lineStart(text, at - 1);
    const line = text.slice(prev, at - 1);
    if (!/^\s*#/.test(line) || column(text, prev + line.search(/\S/)) !== indent) break;
    at = prev;
  }
  return at;
}

function blankBetweenItems(text: string, starts: number[]): boolean {
  if (starts.length < 2) return false;
  const second = lineStart(text, starts[1]);
  let at = second;
  // Look above the second item's comments for the blank line that separates it from the first.
  while (at > 0) {
    const prev = lineStart(text, at - 1);
    if (isBlankLine(text, prev)) return true;
    if (!/^\s*#/.test(text.slice(prev, at - 1))) return false;
    at = prev;
  }
  return false;
}

function dashBefore(text: string, item: YamlNode, seq: YAMLSeq): number {
  const start = item?.range?.[0] ?? seq.range![0];
  let at = start;
  while (at > 0 && text[at] !== '-') at--;
  return at;
}

function inFlowCollection(holder: Holder): boolean {
  return (holder.kind === 'pair' && holder.map.flow === true) || (holder.kind === 'item' && holder.seq.flow === true);
}

function childIndent(p: ParsedYaml, holder: Holder): number {
  switch (holder.kind) {
    case 'root':
      return p.step;
    case 'pair':
      return column(p.text, pairStart(p.text, holder.pair)) + p.step;
    case 'item':
      return column(p.text, dashBefore(p.text, holder.node as YamlNode, holder.seq)) + p.step;
  }
}

function blockContentIndent(p: ParsedYaml, node: Scalar): number | undefined {
  const [start, end] = node.range!;
  const header = p.text.slice(start, p.text.indexOf('\n', start));
  if (/[1-9]/.test(header.replace(/#.*$/, ''))) return undefined;
  const lines = p.text.slice(p.text.indexOf('\n', start) + 1, end).split('\n');
  const first = lines.find((l) => l.trim() !== '');
  return first === undefined ? undefined : first.length - first.trimStart().length;
}

// ---------------------------------------------------------------------------------------------
// Rendering new values.

type ScalarValue = string | number | boolean | null;

function isScalarValue(v: unknown): v is ScalarValue {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nested(path: Path, value: unknown): unknown {
  let v = value;
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i];
    if (typeof key === 'number') {
      if (key !== 0) throw new YamlEditError(`Cannot create item ${key} of a list that does not exist yet.`);
      v = [v];
    } else {
      v = { [key]: v };
    }
  }
  return v;
}

interface ScalarContext {
  /** Indentation of a block scalar's content lines. */
  indent: number;
  inFlow: boolean;
  implicitKey?: boolean;
  prefer?: Scalar.Type;
}

/** A scalar's source text; multi-line strings outside flow collections become `|` blocks. */
export function renderScalar(value: ScalarValue, ctx: ScalarContext): string {
  if (typeof value !== 'string') {
    if (value === null) return 'null';
    return String(value);
  }
  const multiLine = value.includes('\n');
  let types: Scalar.Type[];
  if (ctx.implicitKey) {
    types = ['PLAIN', 'QUOTE_DOUBLE'];
  } else if (!ctx.inFlow && (ctx.prefer === 'BLOCK_LITERAL' || ctx.prefer === 'BLOCK_FOLDED')) {
    types = [ctx.prefer, 'QUOTE_DOUBLE'];
  } else if (!ctx.inFlow && multiLine) {
    types = ['BLOCK_LITERAL', 'QUOTE_DOUBLE'];
  } else if (ctx.prefer === 'QUOTE_SINGLE' && !multiLine) {
    types = ['QUOTE_SINGLE', 'QUOTE_DOUBLE'];
  } else if (ctx.prefer === 'QUOTE_DOUBLE') {
    types = ['QUOTE_DOUBLE'];
  } else {
    types = ['PLAIN', 'QUOTE_DOUBLE'];
  }
  for (const type of types) {
    const token = CST.createScalarToken(value, { indent: ctx.indent, inFlow: ctx.inFlow, implicitKey: ctx.implicitKey, type, end: [] });
    const source = CST.stringify(token);
    if (readsBack(source, value, ctx)) return source.replace(/\n$/, type.startsWith('BLOCK') ? '\n' : '');
  }
  return JSON.stringify(value);
}

function readsBack(source: string, value: string, ctx: ScalarContext): boolean {
  try {
    const block = source.startsWith('|') || source.startsWith('>');
    if (!block && source.includes('\n')) return false;
    const doc = ctx.inFlow
      ? `[${source}]`
      : block
        ? `${' '.repeat(Math.max(0, ctx.indent - 1))}k: ${source}`
        : `k: ${source}`;
    const parsed = parseYaml(doc) as unknown;
    const read = ctx.inFlow ? (parsed as unknown[])[0] : (parsed as Record<string, unknown>).k;
    return read === value;
  } catch {
    return false;
  }
}

/** A key and its value as block lines at `indent` (no trailing line break). */
function renderPair(p: ParsedYaml, key: string, value: unknown, indent: number, blockLevels = 0): string {
  const k = renderScalar(key, { indent: 0, inFlow: false, implicitKey: true });
  const pad = ' '.repeat(indent);
  if (isScalarValue(value)) {
    const v = renderScalar(value, { indent: indent + p.step, inFlow: false });
    return `${pad}${k}: ${v.replace(/\n$/, '')}`;
  }
  if (blockLevels <= 0 && isSmall(value)) return `${pad}${k}: ${renderFlow(value)}`;
  if ((Array.isArray(value) && value.length === 0) || (isPlainObject(value) && Object.keys(value).length === 0)) {
    return `${pad}${k}: ${Array.isArray(value) ? '[]' : '{}'}`;
  }
  return `${pad}${k}:\n${renderBlock(p, value, indent + p.step, blockLevels)}`;
}

/** A value as block lines at `indent` (no trailing line break). */
function renderBlock(p: ParsedYaml, value: unknown, indent: number, blockLevels = 0): string {
  const doc = new Document(value);
  markFlow(doc.contents as YamlNode, false, blockLevels);
  const text = doc
    .toString({ indent: p.step, lineWidth: 0, minContentWidth: 0, blockQuote: 'literal', flowCollectionPadding: false, indentSeq: true })
    .replace(/\n$/, '');
  const pad = ' '.repeat(indent);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

/** A value in flow style, for inside `[...]` or `{...}` or after a key on one line. */
function renderFlow(value: unknown): string {
  if (isScalarValue(value)) return renderScalar(value, { indent: 0, inFlow: true });
  const doc = new Document(value);
  doc.contents = doc.contents as YamlNode;
  setFlowDeep(doc.contents as YamlNode);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '');
}

function setFlowDeep(node: YamlNode | null): void {
  if (isCollection(node)) {
    node.flow = true;
    for (const item of node.items) setFlowDeep(isPair(item) ? (item.value as YamlNode) : (item as YamlNode));
  }
}

/** Short collections of scalars that are map values are written in flow style. */
function markFlow(node: YamlNode | null, isMapValue: boolean, blockLevels: number): void {
  if (!isCollection(node)) return;
  if (isMapValue && blockLevels <= 0 && isSmall(node.toJSON())) {
    node.flow = true;
    return;
  }
  for (const item of node.items) {
    if (isPair(item)) markFlow(item.value as YamlNode, true, blockLevels - 1);
    else markFlow(item as YamlNode, false, blockLevels - 1);
  }
}

function isSmall(value: unknown): boolean {
  const entries = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : undefined;
  if (!entries || entries.length === 0) return false;
  if (!entries.every((v) => isScalarValue(v) && !(typeof v === 'string' && v.includes('\n')))) return false;
  return JSON.stringify(value).length <= 60 && entries.length <= 6;
}

/** Structural equality of JSON-like values; the order of map keys does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
