// Copies every .lua file under src/ to the same place under dist/src/, after `tsc` (which only
// emits JavaScript). Modules load their Lua scripts from next to their compiled .js at import time
// (src/redis/lua-script.ts), so a build without them fails at start-up.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'src');
const to = join(root, 'dist', 'src');

let copied = 0;
for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.lua')) {
    continue;
  }
  // parentPath is new in Node 20.12; path is its older name (engines allows 20.11).
  const source = join(entry.parentPath ?? entry.path, entry.name);
  const target = join(to, relative(from, source));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  copied += 1;
}
console.log(`copied ${copied} Lua scripts to ${relative(root, to)}`);
