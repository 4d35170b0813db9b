// The layer rules in .dependency-cruiser.cjs, run by dependency-cruiser itself over two small fixture
// trees in a temporary directory laid out like the repository (src/, workers/, node_modules/): one
// that breaks every rule once, one that keeps to all of them. dependency-cruiser is ESM-only, which
// Jest's CommonJS runtime cannot load, so its CLI runs in a child process (both cruises at once).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const repoRoot = join(__dirname, '..', '..');
const configPath = join(repoRoot, '.dependency-cruiser.cjs');
const depcruiseBin = join(repoRoot, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

type Files = Record<string, string>;

// Shared by both trees: a tsconfig for the cruise, a package.json that declares the packages, and
// stand-ins for express and axios so imports of them resolve into node_modules as they do for real.
const scaffold: Files = {
  'package.json': JSON.stringify({
    name: 'fixture',
    private: true,
    dependencies: { express: '5', axios: '1' },
  }),
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'commonjs', moduleResolution: 'node', strict: true, esModuleInterop: true },
    include: ['src', 'workers'],
  }),
  'node_modules/express/package.json': JSON.stringify({
    name: 'express',
    version: '5.0.0',
    main: 'index.js',
  }),
  'node_modules/express/index.js': 'module.exports = function express() {};\n',
  'node_modules/axios/package.json': JSON.stringify({ name: 'axios', version: '1.0.0', main: 'index.js' }),
  'node_modules/axios/index.js': 'module.exports = {};\n',
};

// One bad import per case; `from` and `to` are what dependency-cruiser reports.
const badImports: { rule: string; from: string; to: string; why: string }[] = [
  {
    rule: 'only-processes-import-workers',
    from: 'src/x.ts',
    to: 'workers/y.ts',
    why: 'src/ outside src/processes imports workers/',
  },
  {
    rule: 'no-imports-of-cli',
    from: 'src/http/cli-user.ts',
    to: 'src/cli/format.ts',
    why: 'code outside src/cli imports src/cli',
  },
  {
    rule: 'clients-not-to-connector-flow',
    from: 'src/clients/x.ts',
    to: 'src/ops/y.ts',
    why: 'a client imports the flow above it',
  },
  {
    rule: 'express-only-in-http',
    from: 'src/requests/handler.ts',
    to: 'node_modules/express/index.js',
    why: 'domain code imports express',
  },
  {
    rule: 'express-only-in-http',
    from: 'src/ledger/request-shape.ts',
    to: 'node_modules/express/index.js',
    why: 'domain code imports express types only',
  },
  {
    rule: 'axios-only-in-clients',
    from: 'src/requests/fetch.ts',
    to: 'node_modules/axios/index.js',
    why: 'code outside src/clients imports axios',
  },
  {
    rule: 'simulators-not-to-connector-code',
    from: 'src/simulators/sim.ts',
    to: 'src/requests/run.ts',
    why: 'a simulator imports connector behaviour',
  },
  {
    rule: 'simulators-not-to-connector-code',
    from: 'src/simulators/sim.ts',
    to: 'src/items/backup-now/flow.ts',
    why: 'a simulator imports an item flow (only src/items/definitions.ts is shared)',
  },
  {
    rule: 'simulators-not-to-connector-code',
    from: 'src/simulators/sim.ts',
    to: 'src/config.ts',
    why: "a simulator reads the connector's configuration",
  },
  {
    rule: 'domain-not-to-shell',
    from: 'src/requests/run.ts',
    to: 'src/processes/api.ts',
    why: 'domain code imports the process assembly (type-only)',
  },
  {
    rule: 'observability-not-to-domain',
    from: 'src/observability/metrics.ts',
    to: 'src/ledger/ledger.ts',
    why: 'observability imports domain code',
  },
  {
    rule: 'no-circular',
    from: 'src/requests/a.ts',
    to: 'src/requests/b.ts',
    why: 'a ↔ b, the way back type-only',
  },
];

const badTree: Files = {
  ...scaffold,
  'src/x.ts': "import { pool } from '../workers/y';\nexport const x = pool;\n",
  'workers/y.ts': 'export const pool = 1;\n',
  'src/http/cli-user.ts': "import { format } from '../cli/format';\nexport const text = format();\n",
  'src/cli/format.ts': "export const format = (): string => '';\n",
  'src/clients/x.ts': "import { op } from '../ops/y';\nexport const client = op;\n",
  'src/ops/y.ts': 'export const op = 1;\n',
  'src/requests/handler.ts': "import express from 'express';\nexport const app = express;\n",
  'src/ledger/request-shape.ts': "import type { Request } from 'express';\nexport type Shape = Request;\n",
  'src/requests/fetch.ts': "import axios from 'axios';\nexport const http = axios;\n",
  'src/simulators/sim.ts':
    "import { run } from '../requests/run';\nimport { flow } from '../items/backup-now/flow';\n" +
    "import { config } from '../config';\nexport const sim = [run, flow, config];\n",
  'src/items/backup-now/flow.ts': 'export const flow = 1;\n',
  'src/config.ts': 'export const config = 1;\n',
  'src/requests/run.ts':
    "import type { Api } from '../processes/api';\nexport const run = (api: Api) => api;\n",
  'src/processes/api.ts': 'export interface Api {\n  name: string;\n}\n',
  'src/observability/metrics.ts':
    "import { ledger } from '../ledger/ledger';\nexport const metrics = ledger;\n",
  'src/ledger/ledger.ts': 'export const ledger = 1;\n',
  'src/requests/a.ts': "import { b } from './b';\nexport type A = string;\nexport const a = b;\n",
  'src/requests/b.ts': "import type { A } from './a';\nexport const b: A = 'b';\n",
};

// Every allowed direction at least once, type-only imports included.
const cleanTree: Files = {
  ...scaffold,
  'src/cli/main.ts':
    "import { api } from '../processes/api';\nimport { sim } from '../simulators/sim';\n" +
    'export const main = [api, sim];\n',
  'src/processes/api.ts':
    "import { pool } from '../../workers/pool';\nimport { app } from '../http/app';\n" +
    "import { run } from '../requests/run';\nexport const api = [pool, app, run];\n",
  'workers/pool.ts':
    "import { run } from '../src/requests/run';\nimport { queue } from '../src/jobs/queue';\n" +
    'export const pool = [run, queue];\n',
  'src/http/app.ts':
    "import express from 'express';\nimport { status } from '../ops/status';\n" +
    'export const app = [express, status];\n',
  'src/http/middleware.ts': "import type { Request } from 'express';\nexport type Req = Request;\n",
  'src/ops/status.ts': "import { run } from '../requests/run';\nexport const status = run;\n",
  'src/requests/run.ts':
    "import { client } from '../clients/client';\nimport type { ItemKey } from '../items/definitions';\n" +
    "import { ledger } from '../ledger/ledger';\nexport const run = (key: ItemKey) => [key, client, ledger];\n",
  'src/ledger/ledger.ts':
    "import { events } from '../observability/events';\nexport const ledger = events;\n",
  'src/clients/client.ts':
    "import axios from 'axios';\nimport { events } from '../observability/events';\n" +
    "import { config } from '../config';\nimport { AppError } from '../errors';\nimport { logger } from '../logger';\n" +
    'export const client = [axios, events, config, AppError, logger];\n',
  'src/observability/events.ts': "import { logger } from '../logger';\nexport const events = logger;\n",
  'src/simulators/sim.ts':
    "import { kit } from './http-kit';\nimport { catalog } from '../catalog/definitions';\n" +
    "import type { ItemKey } from '../items/definitions';\nimport { logger } from '../logger';\n" +
    "import { root } from '../paths';\nexport const sim = (key: ItemKey) => [kit, catalog, key, logger, root];\n",
  'src/simulators/http-kit.ts': 'export const kit = 1;\n',
  'src/catalog/definitions.ts': 'export const catalog = 1;\n',
  'src/items/definitions.ts': "export type ItemKey = 'a';\nexport const itemKeys: ItemKey[] = ['a'];\n",
  'src/jobs/queue.ts': 'export const queue = 1;\n',
  'src/config.ts': 'export const config = 1;\n',
  'src/errors.ts': 'export class AppError extends Error {}\n',
  'src/logger.ts': 'export const logger = 1;\n',
  'src/paths.ts': "export const root = '.';\n",
};

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
  cycle?: { name: string }[];
}
interface CruiseResult {
  modules: { source: string; dependencies: { resolved: string }[] }[];
  // error: the number of error-severity violations; `npm run lint:layers` (the default "err"
  // output) exits with it.
  summary: { error: number; violations: Violation[]; ruleSetUsed: { forbidden?: { name: string }[] } };
}

function writeTree(root: string, files: Files): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

// The JSON on stdout is what is checked (the json output exits 0 either way). No JSON at all, a
// broken config for instance, fails the suite with stderr shown.
function cruise(cwd: string): Promise<CruiseResult> {
  const args = [depcruiseBin, 'src', 'workers', '--config', configPath, '--output-type', 'json'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout) as CruiseResult);
      } catch {
        reject(
          new Error(`depcruise in ${cwd} gave no JSON (${error ? error.message : 'exit 0'}):\n${stderr}`),
        );
      }
    });
  });
}

const simplify = (violation: Violation) => ({
  rule: violation.rule.name,
  from: violation.from,
  to: violation.to,
});

// A cycle can be reported from either end; a → b and b → a are the same finding.
const sameFinding = (violation: Violation, expected: (typeof badImports)[number]): boolean =>
  violation.rule.name === expected.rule &&
  (expected.rule === 'no-circular'
    ? [violation.from, violation.to].sort().join() === [expected.from, expected.to].sort().join()
    : violation.from === expected.from && violation.to === expected.to);

let workDir: string;
let bad: CruiseResult;
let clean: CruiseResult;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'layer-rules-'));
  writeTree(join(workDir, 'bad'), badTree);
  writeTree(join(workDir, 'clean'), cleanTree);
  [bad, clean] = await Promise.all([cruise(join(workDir, 'bad')), cruise(join(workDir, 'clean'))]);
}, 60_000);

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe('layer rules (.dependency-cruiser.cjs)', () => {
  it.each(badImports)('when $why, then $rule reports $from → $to', (expected) => {
    const found = bad.summary.violations.filter((violation) => sameFinding(violation, expected));
    expect(found.map(simplify)).not.toEqual([]);
    expect(found.every((violation) => violation.rule.severity === 'error')).toBe(true);
  });

  it('when the bad fixture is cruised, then nothing but the planted imports is reported, each as an error', () => {
    const unexpected = bad.summary.violations.filter(
      (violation) => !badImports.some((expected) => sameFinding(violation, expected)),
    );
    expect(unexpected.map(simplify)).toEqual([]);
    expect(bad.summary.error).toBe(bad.summary.violations.length);
    expect(bad.summary.error).toBeGreaterThan(0);
  });

  it('when a cycle runs through a type-only import, then it is still a cycle', () => {
    const cycle = bad.summary.violations.find((violation) => violation.rule.name === 'no-circular');
    expect(cycle?.cycle?.map((step) => step.name).sort()).toEqual(['src/requests/a.ts', 'src/requests/b.ts']);
  });

  it('when the config lists a rule, then the bad fixture breaks it (a new rule needs a fixture here)', () => {
    const ruleNames = (bad.summary.ruleSetUsed.forbidden ?? []).map((rule) => rule.name).sort();
    expect(ruleNames).toEqual([...new Set(badImports.map((expected) => expected.rule))].sort());
  });

  it('when the fixture keeps to the layers, then the cruise passes', () => {
    expect(clean.summary.violations.map(simplify)).toEqual([]);
    expect(clean.summary.error).toBe(0);
    // The clean tree was really cruised, packages included (node_modules is not excluded).
    const app = clean.modules.find((module) => module.source === 'src/http/app.ts');
    expect(app?.dependencies.map((dependency) => dependency.resolved)).toContain(
      'node_modules/express/index.js',
    );
    expect(clean.modules.map((module) => module.source)).toEqual(
      expect.arrayContaining(Object.keys(cleanTree).filter((path) => /^(src|workers)\//.test(path))),
    );
  });
});
