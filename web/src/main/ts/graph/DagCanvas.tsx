/**
 * The DAG on a canvas (React Flow), laid out by ELK. Shared by the run view and the editor: the
 * caller gives node ids, edges and a node component; the canvas keeps node objects stable across
 * renders so that only nodes whose data changed redraw, renders only what is in view on large
 * graphs, and lays out again only when ids or edges change, not statuses (never on a pan or
 * zoom). A large graph zoomed out past reading is drawn on one <canvas> (OverviewCanvas) instead
 * of its DOM boxes and SVG edges; a click there selects the node drawn under the pointer.
 *
 * Keyboard: Tab reaches the canvas; arrow keys move the selection to the nearest node in that
 * direction (right = downstream), Home/End go to the first/last node, Escape clears the
 * selection, and in the editor Delete removes the selected node.
 *
 * A large graph's boxes in view are mounted over a few frames (mounting.ts) when it is first drawn
 * and when zooming in leaves the overview, not all in one long frame.
 */
import {
  Background,
  Controls,
  Handle,
  MiniMap,
  Position as Side,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  type Connection,
  type Edge as FlowEdge,
  type Node as FlowNode,
  type NodeProps,
  type NodeTypes,
} from '@xyflow/react';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type ComponentType, type KeyboardEvent, type MouseEvent } from 'react';
import { browserElk } from './elkWorker';
import { layout, layoutKey, NODE_HEIGHT, NODE_WIDTH, type Position } from './layout';
import { cachedLayout, cacheLayout } from './layoutCache';
import { isOverview, nodeAt, OVERVIEW_NODES, OVERVIEW_ZOOM } from './overview';
import { OverviewCanvas } from './OverviewCanvas';
import { useGradualMount } from './mounting';

export interface CanvasProps<D extends Record<string, unknown>> {
  readonly ids: readonly string[];
  readonly edges: readonly { readonly from: string; readonly to: string }[];
  /** The data of each node, passed to `component`; keep unchanged nodes' objects identical. */
  readonly data: (id: string) => D;
  readonly component: ComponentType<{ id: string; data: D; selected: boolean }>;
  /** The classes node `id`'s box has besides `dag-node`: its colour on the overview canvas. */
  readonly classes: (id: string) => string;
  readonly selected: string | undefined;
  readonly onSelect: (id: string | undefined) => void;
  readonly label: string;
  /** Editor only: edges can be drawn and removed, nodes removed. */
  readonly onConnect?: (from: string, to: string) => void;
  readonly onDisconnect?: (from: string, to: string) => void;
  readonly onDelete?: (id: string) => void;
  /** Called with the layout time once a layout is done, 0 when cached (for the benchmark). */
  readonly onLayout?: (ms: number, nodes: number) => void;
}

const handleStyle = { width: 8, height: 8 };
const noEdges: readonly { from: string; to: string }[] = [];
/** The overview hides the DOM nodes it draws: Fit view must count hidden nodes too. */
const fitAll = { padding: 0.1, includeHiddenNodes: true };

/** The smallest zoom at which a node's text can be read. */
const READABLE_ZOOM = 0.6;
/**
 * Below this zoom a node's text is too small to read: nodes are drawn as their coloured boxes
 * only (CSS, class `far`), and, since a graph that small is mostly all in view, React Flow stops
 * working out which nodes are visible on every frame of a pan or zoom.
 */
const FAR_ZOOM = 0.3;

function makeNodeType<D extends Record<string, unknown>>(component: ComponentType<{ id: string; data: D; selected: boolean }>, connectable: boolean) {
  const Inner = memo(component);
  const FlowNodeView = (props: NodeProps<FlowNode<D>>) => (
    <>
      <Handle type="target" position={Side.Left} isConnectable={connectable} style={handleStyle} />
      <Inner id={props.id} data={props.data} selected={props.selected ?? false} />
      <Handle type="source" position={Side.Right} isConnectable={connectable} style={handleStyle} />
    </>
  );
  return memo(FlowNodeView);
}

export function DagCanvas<D extends Record<string, unknown>>(props: CanvasProps<D>) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

function Canvas<D extends Record<string, unknown>>(props: CanvasProps<D>) {
  const { ids, edges, data, component, classes, selected, onSelect, onConnect, onDisconnect, onDelete, onLayout } = props;
  const editable = onConnect !== undefined;
  const nodeTypes = useMemo<NodeTypes>(() => ({ dag: makeNodeType(component, editable) }), [component, editable]);
  const key = useMemo(() => layoutKey({ nodes: ids, edges }), [ids, edges]);
  // A graph laid out before in this tab is drawn from the cache, at the first render.
  const [positions, setPositions] = useState<Map<string, Position> | null>(() => cachedLayout(key) ?? null);
  const [layoutError, setLayoutError] = useState<string | null>(null);
  const flow = useReactFlow();
  const far = useStore((s) => s.transform[2] < FAR_ZOOM);
  const overview = useStore((s) => isOverview(ids.length, s.transform[2]));
  const { mounted, busy } = useGradualMount(ids.length > OVERVIEW_NODES, overview, ids, positions);
  const fitted = useRef(false);

  useEffect(() => {
    const cached = cachedLayout(key);
    if (cached) {
      setPositions(cached);
      setLayoutError(null);
      onLayout?.(0, ids.length);
      return;
    }
    let cancelled = false;
    const started = performance.now();
    performance.mark('orchestra:layout-start');
    layout(browserElk(), { nodes: ids, edges })
      .then((p) => {
        if (cancelled) return;
        performance.mark('orchestra:layout-end');
        cacheLayout(key, p);
        setPositions(p);
        setLayoutError(null);
        onLayout?.(performance.now() - started, ids.length);
      })
      .catch((e: unknown) => !cancelled && setLayoutError(`The layout failed: ${(e as Error).message}`));
    return () => {
      cancelled = true;
    };
    // The key stands for ids and edges.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  // Stable node objects: a node is a new object only when its data, position, selection or
  // visibility (hidden while the overview canvas draws it, or while waiting to be mounted)
  // changed.
  const cache = useRef(new Map<string, FlowNode<D>>());
  const nodes = useMemo(() => {
    if (!positions) return [];
    const next = new Map<string, FlowNode<D>>();
    const list: FlowNode<D>[] = [];
    ids.forEach((id, i) => {
      const p = positions.get(id) ?? { x: 0, y: i * (NODE_HEIGHT + 24) };
      const d = data(id);
      const isSelected = id === selected;
      const hidden = overview || (mounted !== null && !mounted.has(id));
      const old = cache.current.get(id);
      const node =
        old && old.data === d && old.position.x === p.x && old.position.y === p.y && old.selected === isSelected && old.hidden === hidden
          ? old
          : { id, type: 'dag', position: { x: p.x, y: p.y }, data: d, selected: isSelected, hidden, width: NODE_WIDTH, height: NODE_HEIGHT, ariaLabel: `node ${id}` };
      next.set(id, node);
      list.push(node);
    });
    cache.current = next;
    return list;
  }, [ids, positions, data, selected, overview, mounted]);

  // The boxes waiting to be mounted, drawn on the overview canvas meanwhile (without edges).
  const waiting = useMemo(() => (busy && mounted && positions ? new Map([...positions].filter(([id]) => !mounted.has(id))) : null), [busy, mounted, positions]);

  // In the run view edges are pictures only: no second, invisible wide path to catch the pointer.
  // (An edge to a node not mounted yet is not drawn: React Flow draws it once both ends are.)
  const flowEdges = useMemo<FlowEdge[]>(
    () =>
      edges.map((e) => ({
        id: `${e.from}->${e.to}`,
        source: e.from,
        target: e.to,
        selectable: editable,
        focusable: editable,
        hidden: overview,
        ...(editable ? {} : { interactionWidth: 0 }),
      })),
    [edges, editable, overview],
  );

  const centerOn = useCallback(
    (id: string) => {
      const p = positions?.get(id);
      if (p) flow.setCenter(p.x + NODE_WIDTH / 2, p.y + NODE_HEIGHT / 2, { zoom: Math.max(flow.getZoom(), READABLE_ZOOM), duration: 200 });
    },
    [positions, flow],
  );

  // The selected node in view: a node opened by its URL, added from the palette, or picked in the
  // form, when it is outside the visible part of the canvas (which a side panel may just have
  // narrowed): the whole graph if it fits at a readable zoom, else the view centred on the node.
  const host = useRef<HTMLDivElement>(null);
  const reveal = useCallback(
    (id: string) => {
      const p = positions?.get(id);
      const el = host.current;
      if (!positions || !p || !el) return;
      const r = el.getBoundingClientRect();
      const a = flow.screenToFlowPosition({ x: r.left, y: r.top });
      const b = flow.screenToFlowPosition({ x: r.right, y: r.bottom });
      if (p.x >= a.x && p.y >= a.y && p.x + NODE_WIDTH <= b.x && p.y + NODE_HEIGHT <= b.y) return;
      let width = 0;
      let height = 0;
      for (const q of positions.values()) {
        width = Math.max(width, q.x + NODE_WIDTH);
        height = Math.max(height, q.y + NODE_HEIGHT);
      }
      if (Math.min(r.width / (width * 1.1), r.height / (height * 1.1)) >= READABLE_ZOOM) void flow.fitView({ padding: 0.1, maxZoom: 1.2, duration: 200 });
      else centerOn(id);
    },
    [positions, flow, centerOn],
  );

  useEffect(() => {
    if (positions && !fitted.current && nodes.length > 0) {
      fitted.current = true;
      requestAnimationFrame(() => {
        // A large graph opens on its first nodes, drawn as boxes rather than as the overview.
        const large = nodes.length > OVERVIEW_NODES;
        // Hidden nodes count: a large graph's boxes may still be waiting to be mounted.
        void flow.fitView({ padding: 0.1, maxZoom: 1.2, minZoom: large ? OVERVIEW_ZOOM : undefined, nodes: large ? nodes.slice(0, 60) : undefined, includeHiddenNodes: true }).then(() => {
          performance.mark('orchestra:shown');
          if (selected) reveal(selected);
        });
      });
    }
  }, [positions, nodes, flow, selected, reveal]);

  useEffect(() => {
    if (fitted.current && selected) reveal(selected);
    // Only a change of the selection (or of the layout) moves the view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected, positions]);

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      if (!positions || ids.length === 0) return;
      if ((e.target as HTMLElement).closest('input, textarea, select, .cm-editor')) return;
      let next: string | undefined;
      if (e.key === 'Escape') {
        onSelect(undefined);
        return;
      }
      if ((e.key === 'Delete' || e.key === 'Backspace') && onDelete && selected) {
        e.preventDefault();
        onDelete(selected);
        return;
      }
      if (e.key === 'Home') next = ids[0];
      else if (e.key === 'End') next = ids[ids.length - 1];
      else if (e.key.startsWith('Arrow')) next = nearest(selected ?? ids[0], e.key, positions, ids, selected === undefined);
      else return;
      e.preventDefault();
      if (next) {
        onSelect(next);
        centerOn(next);
      }
    },
    [positions, ids, selected, onSelect, onDelete, centerOn],
  );

  const nodeClick = useCallback((_: MouseEvent, n: FlowNode) => onSelect(n.id), [onSelect]);
  // On the overview canvas a click on the pane may be a click on a node drawn there.
  const paneClick = useCallback(
    (e: MouseEvent) => onSelect(overview && positions ? nodeAt(positions, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY })) : undefined),
    [onSelect, overview, positions, flow],
  );
  const connect = useCallback((c: Connection) => c.source && c.target && onConnect?.(c.source, c.target), [onConnect]);
  const edgesDeleted = useCallback((removed: FlowEdge[]) => removed.forEach((e) => onDisconnect?.(e.source, e.target)), [onDisconnect]);

  return (
    <div className="canvas" ref={host} tabIndex={0} onKeyDown={onKeyDown} role="application" aria-label={`${props.label}: ${ids.length} nodes. Arrow keys move between nodes.`}>
      {layoutError && <div className="banner error">{layoutError}</div>}
      {!positions && !layoutError && <div className="canvas-wait">Laying out {ids.length} nodes…</div>}
      <ReactFlow
        nodes={nodes}
        edges={flowEdges}
        nodeTypes={nodeTypes}
        onNodeClick={nodeClick}
        onPaneClick={paneClick}
        onConnect={editable ? connect : undefined}
        onEdgesDelete={editable ? edgesDeleted : undefined}
        nodesDraggable={false}
        nodesConnectable={editable}
        edgesFocusable={editable}
        deleteKeyCode={editable ? ['Delete', 'Backspace'] : null}
        className={far ? 'far' : undefined}
        onlyRenderVisibleElements={ids.length > 200}
        minZoom={0.05}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
        colorMode="system"
      >
        <Background />
        {overview && positions && <OverviewCanvas positions={positions} edges={edges} classes={classes} selected={selected} />}
        {!overview && waiting && <OverviewCanvas positions={waiting} edges={noEdges} classes={classes} selected={selected} />}
        <Controls showInteractive={false} fitViewOptions={fitAll} />
        {ids.length <= 500 && <MiniMap pannable zoomable />}
      </ReactFlow>
    </div>
  );
}

/** The nearest node from `from` in the arrow's direction, preferring nodes in line with it. */
function nearest(from: string, key: string, positions: Map<string, Position>, ids: readonly string[], none: boolean): string | undefined {
  if (none) return from;
  const p = positions.get(from);
  if (!p) return ids[0];
  let best: string | undefined;
  let bestScore = Infinity;
  for (const id of ids) {
    if (id === from) continue;
    const q = positions.get(id);
    if (!q) continue;
    const dx = q.x - p.x;
    const dy = q.y - p.y;
    const along = key === 'ArrowRight' ? dx : key === 'ArrowLeft' ? -dx : key === 'ArrowDown' ? dy : -dy;
    const across = key === 'ArrowRight' || key === 'ArrowLeft' ? Math.abs(dy) : Math.abs(dx);
    if (along <= 1) continue;
    const score = along + across * 3;
    if (score < bestScore) {
      bestScore = score;
      best = id;
    }
  }
  return best;
}
