/**
 * The YAML side of the editor (CodeMirror 6). It and the canvas share one text: typing here
 * changes the text the canvas reads, and a form or canvas edit arrives here as the minimal
 * change between the old and new text, so the cursor, undo history and scroll position stay.
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, defaultHighlightStyle, foldGutter, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Annotation, EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { minimalChange } from '../workflow/textDiff';

const external = Annotation.define<boolean>();

/**
 * The style nonce the server put in the page (WebUi.index): CodeMirror adds its styles as
 * `<style>` elements, which the page's Content-Security-Policy allows only with it.
 */
function styleNonce(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="orchestra-style-nonce"]')?.content ?? '';
}

export interface LineDiagnostic {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export function YamlPane(props: { text: string; onChange: (text: string) => void; diagnostics: readonly LineDiagnostic[]; focusLine?: number }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: props.text,
        extensions: [
          lineNumbers(),
          foldGutter(),
          history(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          yaml(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          lintGutter(),
          EditorView.cspNonce.of(styleNonce()),
          EditorView.contentAttributes.of({ 'aria-label': 'workflow YAML' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !u.transactions.some((t) => t.annotation(external))) onChange.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The view is made once; later texts arrive as changes below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const current = v.state.doc.toString();
    if (current !== props.text) v.dispatch({ changes: minimalChange(current, props.text), annotations: external.of(true) });
  }, [props.text]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const doc = v.state.doc;
    const diagnostics: Diagnostic[] = [];
    for (const d of props.diagnostics) {
      if (d.line < 1 || d.line > doc.lines) continue;
      const line = doc.line(d.line);
      const from = Math.min(line.to, line.from + Math.max(0, d.column - 1));
      diagnostics.push({ from, to: Math.max(from, line.to), severity: 'error', message: d.message });
    }
    v.dispatch(setDiagnostics(v.state, diagnostics));
  }, [props.diagnostics, props.text]);

  useEffect(() => {
    const v = view.current;
    if (!v || !props.focusLine || props.focusLine > v.state.doc.lines) return;
    const line = v.state.doc.line(props.focusLine);
    v.dispatch({ selection: { anchor: line.from }, effects: EditorView.scrollIntoView(line.from, { y: 'center' }) });
    v.focus();
  }, [props.focusLine]);

  return <div className="yaml-pane" ref={host} />;
}
