// What pip installed into a folder of Python's import path (`pip install -t`, a layer's python/
// folder): read from the install records it leaves beside the packages.
import fs from 'node:fs';
import path from 'node:path';

/**
 * The top-level packages and modules that pip installed into `dir`, given the names `dir` lists:
 * the first path segment of every file a `*.dist-info/RECORD` lists
 * (https://packaging.python.org/en/latest/specifications/recording-installed-packages/), and the
 * names of every `*.egg-info/top_level.txt` (each as a folder and as `name.py`). A record that
 * cannot be read (a dist-info written by hand) tells nothing.
 */
export function pipInstalledNames(dir: string, entries: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const e of entries) {
    try {
      if (e.endsWith('.dist-info')) {
        for (const line of fs.readFileSync(path.join(dir, e, 'RECORD'), 'utf8').split('\n')) {
          const top = line.slice(0, line.indexOf(',')).split('/')[0];
          if (top && top !== '..' && !top.endsWith('.dist-info')) names.add(top);
        }
      } else if (e.endsWith('.egg-info')) {
        for (const t of fs.readFileSync(path.join(dir, e, 'top_level.txt'), 'utf8').split('\n'))
          if (t.trim()) names.add(t.trim()).add(`${t.trim()}.py`);
      }
    } catch {
      // No RECORD or top_level.txt: nothing known of it.
    }
  }
  return names;
}
