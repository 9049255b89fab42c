// A worker thread of the parse pool (parse-pool.ts): parses the files it is sent and answers with
// their facts.
import { parentPort } from 'node:worker_threads';
import { parseOne, type ParseAnswer, type ParseRequest } from './parse-pool.js';

const port = parentPort!;
port.on('message', (m: ParseRequest) => {
  void (async () => {
    const outcomes = [];
    for (const j of m.jobs) outcomes.push(await parseOne(j.file, j.text));
    try {
      port.postMessage({ id: m.id, outcomes } satisfies ParseAnswer);
    } catch (e) {
      port.postMessage({ id: m.id, failed: (e as Error).message } satisfies ParseAnswer);
    }
  })();
});
