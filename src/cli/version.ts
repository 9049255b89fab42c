import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The version in lambdalint's own package.json (found upward from this file, built or not). */
export function packageVersion(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'lambdalint' && pkg.version) return (cached = pkg.version);
    } catch {
      // keep looking upward
    }
    dir = path.dirname(dir);
  }
  return (cached = '0.0.0');
}
