import { defineRule } from '../src/engine/types.js';

// docs/FACTS.md §1.1: memory 128–10,240 MB in 1-MB steps (up to 32,768 MB on Lambda Managed Instances,
// per the API model); ephemeral storage 512–10,240 MB.
const MEMORY_MIN = 128;
const MEMORY_MAX = 10240;
const MEMORY_MAX_MANAGED_INSTANCES = 32768;
const STORAGE_MIN = 512;
const STORAGE_MAX = 10240;

export default defineRule({
  id: 'memory-limit',
  severity: 'error',
  category: 'limits',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  docs: {
    summary: 'Keep memory and ephemeral storage sizes within what Lambda allows.',
    why: 'Lambda rejects a MemorySize outside 128–10,240 MB (32,768 MB on Lambda Managed Instances) or ephemeral storage outside 512–10,240 MB, so the deploy fails.',
    fix: 'Use a whole number of MB in the allowed range.',
  },
  messages: {
    memoryOutOfRange: 'MemorySize is {{mb}} MB; Lambda allows {{min}} to {{max}} MB.',
    memoryNotWhole: 'MemorySize is {{mb}} MB; Lambda takes a whole number of MB.',
    storageOutOfRange: 'Ephemeral storage is {{mb}} MB; Lambda allows 512 to 10240 MB.',
  },
  check({ model, report }) {
    for (const fn of model.functions) {
      const m = fn.memorySize;
      if (m?.value !== undefined) {
        const max = fn.capacityProvider ? MEMORY_MAX_MANAGED_INSTANCES : MEMORY_MAX;
        if (m.value < MEMORY_MIN || m.value > max) {
          report({ messageId: 'memoryOutOfRange', data: { mb: m.value, min: MEMORY_MIN, max }, at: m, fn });
        } else if (!Number.isInteger(m.value))
          report({ messageId: 'memoryNotWhole', data: { mb: m.value }, at: m, fn });
      }
      const s = fn.ephemeralStorage;
      if (s?.value !== undefined && (s.value < STORAGE_MIN || s.value > STORAGE_MAX || !Number.isInteger(s.value))) {
        report({ messageId: 'storageOutOfRange', data: { mb: s.value }, at: s, fn });
      }
    }
  },
});
