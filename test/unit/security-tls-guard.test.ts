/**
 * CI guard (docs/reliability.md §4.3 S6): no code may switch TLS certificate checks off. Node verifies
 * certificates by default; a private CA is trusted through STORWARE_CA_FILE (an `ca` addition),
 * never by turning verification off. This scans every source file of the product (src/, workers/)
 * for the ways verification gets disabled: `rejectUnauthorized: false` (also spelled with quotes,
 * `0`, `!1`), NODE_TLS_REJECT_UNAUTHORIZED, a `checkServerIdentity` override, and axios/https
 * options that do the same through a variable.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SCANNED = ['src', 'workers'];

/** What turns verification off, with why it is refused. */
const FORBIDDEN: ReadonlyArray<{ readonly pattern: RegExp; readonly why: string }> = [
  {
    pattern:
      /['"]?rejectUnauthorized['"]?\s*:\s*(?:false|0|!1|!0\s*===\s*0|process\.env|[A-Za-z_$][\w$.]*)(?![\w$])/,
    why: 'rejectUnauthorized must be the literal true (trust a private CA with `ca` instead)',
  },
  {
    pattern: /NODE_TLS_REJECT_UNAUTHORIZED/,
    why: 'NODE_TLS_REJECT_UNAUTHORIZED disables TLS checks process-wide',
  },
  { pattern: /checkServerIdentity/, why: 'overriding checkServerIdentity skips the host name check' },
  { pattern: /\binsecureHTTPParser\b/, why: 'the insecure HTTP parser accepts malformed answers' },
  { pattern: /secureProtocol\s*:\s*['"](?:SSLv3|TLSv1_method|TLSv1_1_method)/, why: 'obsolete TLS protocol' },
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'dist') {
        out.push(...sourceFiles(path));
      }
    } else if (/\.(?:[cm]?[jt]s)$/.test(name)) {
      out.push(path);
    }
  }
  return out;
}

function tlsBypasses(text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, index) => {
    for (const { pattern, why } of FORBIDDEN) {
      // `rejectUnauthorized: true` is the one allowed spelling.
      if (pattern.test(line) && !/rejectUnauthorized['"]?\s*:\s*true\b/.test(line)) {
        found.push(`line ${index + 1}: ${why}: ${line.trim()}`);
      }
    }
  });
  return found;
}

describe('no TLS certificate check is ever turned off (CI guard)', () => {
  it('when src/ and workers/ are scanned, then no file disables certificate verification', () => {
    const problems = SCANNED.flatMap((dir) =>
      sourceFiles(join(ROOT, dir)).flatMap((file) =>
        tlsBypasses(readFileSync(file, 'utf8')).map((p) => `${relative(ROOT, file)} ${p}`),
      ),
    );
    expect(problems).toEqual([]);
  });

  it('when a file does disable it in any of the usual ways, then the guard catches each one', () => {
    const samples = [
      'new https.Agent({ rejectUnauthorized: false })',
      "const agent = { 'rejectUnauthorized': false };",
      'axios.create({ httpsAgent: new Agent({ rejectUnauthorized: 0 }) })',
      'tls.connect({ rejectUnauthorized: verify })',
      "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';",
      'tls.connect({ host, checkServerIdentity: () => undefined })',
      'http.request({ insecureHTTPParser: true })',
    ];
    for (const sample of samples) {
      expect(tlsBypasses(sample)).toHaveLength(1);
    }
    expect(tlsBypasses('new https.Agent({ keepAlive: true, rejectUnauthorized: true })')).toEqual([]);
  });
});
