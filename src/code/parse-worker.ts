// A worker thread of the parse pool (parse-pool.ts): takes files of the batches it is sent and
// answers with their facts (handler files) or trees (Terraform files).
import { parentPort } from 'node:worker_threads';
import { serve } from './parse-pool.js';

serve(parentPort!);
