// A worker thread of the parse pool (parse-pool.ts): parses the files it is sent and answers with
// their facts (handler files) or trees (Terraform files).
import { parentPort } from 'node:worker_threads';
import { work, type ParseAnswer, type ParseRequest } from './parse-pool.js';

const port = parentPort!;
port.on('message', (m: ParseRequest) => {
  void (async () => {
    const answer = await work(m);
    try {
      port.postMessage(answer);
    } catch (e) {
      port.postMessage({ id: m.id, failed: (e as Error).message } satisfies ParseAnswer);
    }
  })();
});
