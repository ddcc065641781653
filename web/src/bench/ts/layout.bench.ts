// Layout time of large DAGs with the UI's ELK options, in Node on the in-thread ELK bundle (the
// browser runs the same in a worker). Run: npm run bench
import ELK from 'elkjs/lib/elk.bundled.js';
import { bench, describe } from 'vitest';
import { layout } from '../../main/ts/graph/layout';
import { layeredDag } from './dags';

const elk = new ELK();

describe('elkjs layered layout', () => {
  for (const size of [500, 2000]) {
    const dag = layeredDag(size);
    bench(`${size} nodes, ${dag.edges.length} edges`, async () => {
      await layout(elk, dag);
    }, { iterations: size > 1000 ? 3 : 5, warmupIterations: 1, time: 0 });
  }
});
