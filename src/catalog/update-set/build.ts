/**
 * The update set generator.
 *
 *   npm run catalog:build   writes catalog-items/dist/storware-itsm-connector.update-set.xml
 *   npm run catalog:check   fails when that committed file is not what the definitions and the
 *                           scripts produce now (CI), and says how to fix it
 *
 * Both refuse invalid definitions and list every problem: the connector's own checks
 * (loadCatalog), the generator's (check-definitions.ts) and the script include's contract. The
 * written XML is read back with a strict parser before it is written, so a file that ServiceNow's
 * importer would choke on is never produced.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ConfigError, type ErrorDetail } from '../../errors';
import { projectRoot } from '../../paths';
import { defaultCatalogDir, loadCatalog, type Catalog } from '../definitions';
import { checkDefinitionsForUpdateSet } from './check-definitions';
import { buildRecords, type ShippedRecord } from './records';
import {
  checkScriptIncludeContract,
  loadShippedScripts,
  scriptsDir,
  type ShippedScripts,
} from './servicenow-scripts';
import { renderUpdateSet, updateName } from './update-set-xml';
import { childElements, onlyChild, parseXml, textOf } from './xml-reader';

export function defaultUpdateSetFile(): string {
  return join(projectRoot(), 'catalog-items', 'dist', 'storware-itsm-connector.update-set.xml');
}

export interface GeneratedUpdateSet {
  readonly xml: string;
  readonly records: readonly ShippedRecord[];
}

export interface GenerateOptions {
  readonly catalogDir?: string;
  readonly scriptsDir?: string;
}

/** Validates everything, builds the records and renders the XML; throws ConfigError listing every problem. */
export function generateUpdateSet(options: GenerateOptions = {}): GeneratedUpdateSet {
  const problems: ErrorDetail[] = [];
  let catalog: Catalog | undefined;
  try {
    catalog = loadCatalog(options.catalogDir ?? defaultCatalogDir());
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      throw error;
    }
    problems.push(...(error.details ?? []));
  }
  let scripts: ShippedScripts | undefined;
  try {
    scripts = loadShippedScripts(options.scriptsDir ?? scriptsDir());
    problems.push(...checkScriptIncludeContract(scripts.contract));
  } catch (error) {
    problems.push({
      path: 'src/catalog/servicenow-scripts',
      message: (error as Error).message.split('\n')[0]!,
    });
  }
  if (catalog) {
    problems.push(...checkDefinitionsForUpdateSet(catalog));
  }
  if (problems.length > 0 || !catalog || !scripts) {
    throw new ConfigError(problems);
  }
  const records = buildRecords(catalog, scripts);
  const xml = renderUpdateSet(records);
  readBack(xml, records);
  return { xml, records };
}

/** Parses the file and every payload, and checks that each record came through. */
function readBack(xml: string, records: readonly ShippedRecord[]): void {
  const root = parseXml(xml);
  const updates = childElements(root, 'sys_update_xml');
  if (root.name !== 'unload' || updates.length !== records.length) {
    throw new Error(`generated update set holds ${updates.length} updates for ${records.length} records`);
  }
  updates.forEach((update, i) => {
    const record = records[i]!;
    const payload = parseXml(textOf(onlyChild(update, 'payload')));
    const row = onlyChild(payload, record.table);
    if (
      textOf(onlyChild(update, 'name')) !== updateName(record) ||
      textOf(onlyChild(row, 'sys_id')) !== record.sysId
    ) {
      throw new Error(`generated update ${updateName(record)} does not read back as written`);
    }
  });
}

/** The first line where two texts differ (1-based), for the stale-file message. */
function firstDifferentLine(a: string, b: string): number {
  const left = a.split('\n');
  const right = b.split('\n');
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    if (left[i] !== right[i]) {
      return i + 1;
    }
  }
  return 0;
}

export interface RunOptions extends GenerateOptions {
  readonly file?: string;
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
}

/** The command line: `--check` compares, otherwise writes. Returns the exit code. */
export function run(argv: readonly string[], options: RunOptions = {}): number {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const file = options.file ?? defaultUpdateSetFile();
  const shown = relative(process.cwd(), file) || file;
  const unknown = argv.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    err(`unknown argument(s): ${unknown.join(' ')} (usage: build.ts [--check])`);
    return 2;
  }

  let generated: GeneratedUpdateSet;
  try {
    generated = generateUpdateSet(options);
  } catch (error) {
    if (error instanceof ConfigError) {
      err(
        `The catalog definitions cannot be built into an update set (${error.details?.length ?? 0} problem(s)):`,
      );
      for (const problem of error.details ?? []) {
        err(`  - ${problem.path ?? '(root)'}: ${problem.message}`);
      }
      return 1;
    }
    throw error;
  }

  if (argv.includes('--check')) {
    let committed: string | undefined;
    try {
      committed = readFileSync(file, 'utf8');
    } catch {
      committed = undefined;
    }
    if (committed === generated.xml) {
      out(`${shown} is up to date (${generated.records.length} records).`);
      return 0;
    }
    err(
      committed === undefined
        ? `${shown} is missing.`
        : `${shown} is stale: it differs from what catalog-items/ and src/catalog/servicenow-scripts/ produce from line ${firstDifferentLine(committed, generated.xml)}.`,
    );
    err('Run `npm run catalog:build` and commit the result.');
    return 1;
  }

  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, generated.xml, 'utf8');
  const counts = new Map<string, number>();
  for (const record of generated.records) {
    counts.set(record.table, (counts.get(record.table) ?? 0) + 1);
  }
  out(`Wrote ${shown}: ${[...counts].map(([table, n]) => `${n} ${table}`).join(', ')}.`);
  return 0;
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
