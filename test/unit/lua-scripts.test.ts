/**
 * Every Lua script under src/ keeps the one form src/redis/lua-script.ts describes: a header with
 * its Input and Output, KEYS and ARGV unpacked into named locals before the script does anything,
 * and a module that loads it (no orphaned script, no load of a file that is not there). Shared
 * helpers in an `includes/` folder need a header and a script that includes them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { loadedScriptFiles } from '../../src/redis/lua-script';

const SRC = join(__dirname, '..', '..', 'src');

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(suffix))
    .map((name) => join(dir, name));
}

const luaFiles = filesUnder(SRC, '.lua');
const isInclude = (file: string) => file.split(/[\\/]/).includes('includes');
const scripts = luaFiles.filter((file) => !isInclude(file));
const includes = luaFiles.filter(isInclude);
const name = (file: string) => relative(SRC, file);

/** The header comment, and the rest of the file. */
function parts(file: string): { header: string; body: string } {
  const text = readFileSync(file, 'utf8');
  const match = /^--\[\[\n([\s\S]*?)\n\]\]\n([\s\S]*)$/.exec(text);
  return match ? { header: match[1]!, body: match[2]! } : { header: '', body: text };
}

/** Where `loadScript(__dirname, '…')` calls in src/**\/*.ts point, by calling module. */
function loadCalls(): { module: string; file: string }[] {
  const calls: { module: string; file: string }[] = [];
  for (const module of filesUnder(SRC, '.ts')) {
    const text = readFileSync(module, 'utf8');
    const all = text.match(/\bloadScript\(/g)?.length ?? 0;
    const literal = [...text.matchAll(/\bloadScript\(\s*__dirname,\s*'([^']+\.lua)'/g)];
    if (module.endsWith(join('redis', 'lua-script.ts'))) {
      continue; // the definition and its doc comment
    }
    // Anything but the literal form could not be checked here.
    expect({ module: name(module), calls: literal.length }).toEqual({ module: name(module), calls: all });
    for (const [, file] of literal) {
      calls.push({ module, file: resolve(dirname(module), file!) });
    }
  }
  return calls;
}

describe('Lua scripts', () => {
  it('when listed, then there are scripts to check (the walk found src/)', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(10);
  });

  it.each(scripts.map((file) => [name(file), file]))(
    'when %s is read, then its header names its Input (KEYS, ARGV) and its Output',
    (_label, file) => {
      const { header } = parts(file);
      expect(header).toMatch(/\S/); // a sentence on what it does
      expect(header).toMatch(/^\s*Input:\s*$/m);
      expect(header).toMatch(/^\s*KEYS\[1( \.\. n)?\] /m);
      expect(header).toMatch(/^\s*Output:\s*$/m);
    },
  );

  it.each(scripts.map((file) => [name(file), file]))(
    'when %s runs, then KEYS and ARGV are unpacked into named locals before its first command',
    (_label, file) => {
      const lines = parts(file).body.split('\n');
      const firstCall = lines.findIndex((line) => /redis\.call|redis\.pcall|@include/.test(line));
      const lastPositional = lines.reduce((last, line, i) => (/\b(KEYS|ARGV)\[/.test(line) ? i : last), -1);
      expect(firstCall).toBeGreaterThan(-1);
      expect(lastPositional).toBeLessThan(firstCall);
    },
  );

  it.each(includes.map((file) => [name(file), file]))(
    'when the include %s is read, then it has a header and reads no KEYS or ARGV',
    (_label, file) => {
      const { header, body } = parts(file);
      expect(header).toMatch(/\S/);
      expect(body).not.toMatch(/\b(KEYS|ARGV)\[/);
    },
  );

  it('when the modules are scanned, then every script is loaded by one and every load finds its file', () => {
    const calls = loadCalls();
    const loaded = new Set(calls.map((call) => call.file));
    expect(scripts.filter((file) => !loaded.has(file)).map(name)).toEqual([]);
    expect([...loaded].filter((file) => !scripts.includes(file)).map(name)).toEqual([]);
  });

  it('when the loading modules are imported, then each of their scripts is read from where it lies', () => {
    const modules = new Set(loadCalls().map((call) => call.module));
    for (const module of modules) {
      jest.requireActual(module);
    }
    expect(new Set(loadedScriptFiles())).toEqual(new Set(scripts));
  });

  it('when scripts are scanned, then every include is used and every @include names a file', () => {
    const used = new Set<string>();
    for (const file of scripts) {
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/^--- @include "([^"]+)"/gm)) {
        const path = resolve(dirname(file), `${target!}.lua`);
        expect({ script: name(file), include: includes.includes(path) ? target : 'missing' }).toEqual({
          script: name(file),
          include: target,
        });
        used.add(path);
      }
    }
    expect(includes.filter((file) => !used.has(file)).map(name)).toEqual([]);
  });
});
