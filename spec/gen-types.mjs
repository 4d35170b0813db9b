// Generates TypeScript types from every OpenAPI file in spec/ into spec/generated/<name>.ts.
// `--check` regenerates in memory and fails when a committed file is stale, so CI catches a spec
// edited without regenerating (and a generated file edited by hand).
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import * as prettier from 'prettier';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, 'generated');
const check = process.argv.includes('--check');
const specs = readdirSync(here)
  .filter((f) => f.endsWith('.openapi.yaml'))
  .sort();

let stale = 0;
mkdirSync(outDir, { recursive: true });
for (const spec of specs) {
  const name = spec.replace('.openapi.yaml', '');
  const ast = await openapiTS(pathToFileURL(join(here, spec)), { alphabetize: true, exportType: false });
  const header = `// Generated from spec/${spec} by spec/gen-types.mjs. Do not edit; run npm run gen:types.\n`;
  const text = await prettier.format(header + astToString(ast), {
    parser: 'typescript',
    singleQuote: true,
    printWidth: 110,
  });
  const target = join(outDir, `${name}.ts`);
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (check) {
    if (current !== text) {
      stale += 1;
      console.error(`stale: spec/generated/${name}.ts does not match spec/${spec}; run npm run gen:types`);
    }
  } else if (current !== text) {
    writeFileSync(target, text);
    console.log(`wrote spec/generated/${name}.ts`);
  }
}
if (check) {
  if (stale > 0) {
    process.exit(1);
  }
  console.log(`generated types are current (${specs.length} spec(s))`);
}
