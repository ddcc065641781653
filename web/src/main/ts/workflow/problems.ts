/**
 * Validation problems placed where they belong: on a node and a field of it, or on the workflow.
 * A problem's line and column are mapped to the YAML Document's source ranges (`locate`). A
 * problem in another file (a composed workflow a node `uses`) is placed on that node's `uses`.
 */
import type { Problem } from '../api/types';
import { locate, type WorkflowGraph } from './model';

export interface PlacedProblem {
  readonly problem: Problem;
  readonly node: string | undefined;
  readonly field: readonly (string | number)[];
}

function normal(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

export function placeProblems(text: string, graph: WorkflowGraph, problems: readonly Problem[]): PlacedProblem[] {
  const users = new Map<string, string>();
  for (const n of graph.nodes) if (n.uses) users.set(normal(n.uses), n.id);
  return problems.map((problem) => {
    if (problem.file) {
      const file = normal(problem.file);
      for (const [uses, node] of users) {
        if (file === uses || file.endsWith(`/${uses}`)) return { problem, node, field: ['uses'] };
      }
    }
    const where = locate(text, problem.line, problem.column);
    return { problem, node: where.node, field: where.field };
  });
}

/** Whether a problem placed at `placed` concerns the form field `field` (or something inside it). */
export function concerns(placed: PlacedProblem, node: string, field: readonly (string | number)[]): boolean {
  if (placed.node !== node) return false;
  return field.every((part, i) => placed.field[i] === part);
}

/** The problem as one sentence: message, then the hint. */
export function problemText(p: Problem): string {
  return p.hint ? `${p.message}; ${p.hint}` : p.message;
}
