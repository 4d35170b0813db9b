/**
 * The project root, found by walking up to package.json, so the same code finds
 * `catalog-items/` and `spec/` whether it runs from `src/` (tsx, jest) or `dist/src/` (node).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

export function projectRoot(): string {
  if (cached !== undefined) {
    return cached;
  }
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error('package.json not found above ' + __dirname);
    }
    dir = parent;
  }
  cached = dir;
  return dir;
}
