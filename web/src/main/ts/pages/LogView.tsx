/**
 * A node's log, virtualised: only the lines in view are in the DOM, so a log of 100,000 lines
 * scrolls as one of 100. It follows the end while the reader is at the end.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { LogBuffer, LogLine } from '../run/logBuffer';

const ROW = 18;

export function LiveLog({ logs, node }: { logs: LogBuffer; node: string }) {
  const version = useSyncExternalStore(
    (cb) => logs.subscribe(cb),
    () => logs.version,
  );
  const log = logs.node(node);
  return <Lines lines={log.lines} dropped={log.dropped} version={version} />;
}

export function Lines({ lines, dropped = 0, version = 0 }: { lines: readonly LogLine[]; dropped?: number; version?: number }) {
  const parent = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW,
    overscan: 20,
  });
  useEffect(() => {
    if (atEnd.current && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [lines.length, version, virtualizer]);
  return (
    <div
      className="log"
      ref={parent}
      tabIndex={0}
      role="log"
      aria-live="off"
      onScroll={(e) => {
        const el = e.currentTarget;
        atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2;
      }}
    >
      {dropped > 0 && <div className="muted log-note">{dropped} earlier lines are not kept here; load the attempt's full output below.</div>}
      {lines.length === 0 && <div className="muted log-note">No output yet.</div>}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const line = lines[item.index];
          return (
            <div key={item.key} className={`log-line ${line.stream}`} style={{ position: 'absolute', top: 0, transform: `translateY(${item.start}px)`, height: ROW }}>
              {line.text}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** Splits a text body (stdout, transcript) into lines for {@link Lines}. */
export function textLines(text: string, stream = 'stdout'): LogLine[] {
  const parts = text.split('\n');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((t) => ({ stream, text: t }));
}
