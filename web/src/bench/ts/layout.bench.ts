// Layout time of large DAGs in Node: ELK with the UI's options on its in-thread bundle (the browser
// runs the same in a worker) against our own layered layout, which the UI uses above LARGE_GRAPH
// nodes. Run: npm run bench
import ELK from 'elkjs/lib/elk.bundled.js';
import { bench, describe } from 'vitest';
import { layeredLayout } from '../../main/ts/graph/layered';
import { elkLayout } from '../../main/ts/graph/layout';
import { layeredDag } from './dags';

const elk = new ELK();

for (const size of [500, 2000]) {
  const dag = layeredDag(size);
  describe(`${size} nodes, ${dag.edges.length} edges`, () => {
    bench('elkjs layered', async () => {
      await elkLayout(elk, dag);
    }, { iterations: size > 1000 ? 3 : 5, warmupIterations: 1, time: 0 });
    bench('layeredLayout', () => {
      layeredLayout(dag);
    }, { iterations: 20, warmupIterations: 2, time: 0 });
  });
}
