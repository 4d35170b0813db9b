/**
 * Headless Chromium for browser tests, through playwright-core. Uses the machine's Chromium when there
 * is one (CHROMIUM_PATH, else /usr/bin/chromium), otherwise the one packaged in @sparticuz/chromium (a
 * dev dependency, unpacked into the temp dir on first use), so `npm ci && npm test` needs no system
 * browser. CHROMIUM_PATH=none skips the system one. When no browser starts, this throws (the test
 * fails, it is not skipped) saying which executable was tried and why it did not start.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const LAUNCH_TIMEOUT_MS = 30_000;

/** Flags every launch gets: no sandbox (containers, root), no GPU, and nothing that phones home. */
const SANDBOX_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Flags from @sparticuz/chromium's recommended list (written for AWS Lambda) that are left out:
 * --single-process makes closing one browser context take the whole browser down (the next
 * newContext() fails with "Target page, context or browser has been closed"), --no-zygote goes with
 * it, and the others turn off web security, which a test of a signed-in page should not run without.
 */
const PACKAGED_FLAGS_LEFT_OUT = new Set([
  '--single-process',
  '--no-zygote',
  '--disable-web-security',
  '--allow-running-insecure-content',
]);

interface Candidate {
  executablePath: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  source: string;
}

/** The system Chromium to use, or why none is used. */
function systemChromium(): { path: string } | { skipped: string } {
  const configured = process.env.CHROMIUM_PATH?.trim();
  if (configured === 'none') {
    return { skipped: 'CHROMIUM_PATH=none, so no system Chromium was looked for' };
  }
  const path = configured || SYSTEM_CHROMIUM;
  if (!existsSync(path)) {
    return { skipped: `no system Chromium at ${path}${configured ? ' (CHROMIUM_PATH)' : ''}` };
  }
  return { path };
}

async function packagedChromium(systemNote: string): Promise<Candidate> {
  let executablePath: string;
  let args: string[];
  try {
    const mod = await import('@sparticuz/chromium');
    const packaged = mod.default ?? (mod as unknown as typeof mod.default);
    executablePath = await packaged.executablePath();
    args = packaged.args;
  } catch (err) {
    throw new Error(
      `Could not start headless Chromium: ${systemNote}, and the packaged one from @sparticuz/chromium ` +
        `could not be unpacked: ${(err as Error).message}. Run \`npm ci\` (it is a dev dependency), or ` +
        'install Chromium and set CHROMIUM_PATH.',
      { cause: err },
    );
  }
  // Without a system fontconfig, point at the fonts the package unpacks next to the binary.
  const env =
    process.env.FONTCONFIG_PATH || existsSync('/etc/fonts/fonts.conf')
      ? undefined
      : { ...process.env, FONTCONFIG_PATH: join(tmpdir(), 'fonts') };
  return {
    executablePath,
    args: [...args.filter((flag) => !PACKAGED_FLAGS_LEFT_OUT.has(flag)), ...SANDBOX_FLAGS],
    ...(env ? { env } : {}),
    source: `packaged @sparticuz/chromium (${systemNote})`,
  };
}

async function pickChromium(): Promise<Candidate> {
  const system = systemChromium();
  if ('path' in system) {
    return { executablePath: system.path, args: SANDBOX_FLAGS, source: 'system Chromium' };
  }
  return packagedChromium(system.skipped);
}

/**
 * Playwright's launch error, without the parts that drown the reason: the full command line (every
 * flag, twice) and the call log. Keeps the first line and what the browser itself printed.
 */
function launchFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // eslint-disable-next-line no-control-regex
  const lines = message.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  const callLog = lines.findIndex((line) => line.startsWith('Call log:'));
  const kept = (callLog === -1 ? lines : lines.slice(0, callLog)).filter(
    (line) => line.trim() !== '' && !line.includes('<launching>'),
  );
  return kept.slice(0, 15).join('\n  ');
}

/** Launches headless Chromium (playwright gives every launch a fresh, temporary user-data dir). */
export async function launchChromium(): Promise<Browser> {
  const candidate = await pickChromium();
  try {
    return await chromium.launch({
      executablePath: candidate.executablePath,
      args: candidate.args,
      timeout: LAUNCH_TIMEOUT_MS,
      ...(candidate.env ? { env: candidate.env } : {}),
    });
  } catch (err) {
    const packaged = candidate.source.startsWith('packaged');
    throw new Error(
      `Could not start headless Chromium at ${candidate.executablePath} (${candidate.source}):\n  ` +
        `${launchFailure(err)}\n` +
        (packaged
          ? `If ${candidate.executablePath} is left half-unpacked from an interrupted run, delete it to ` +
            'unpack it again; or install Chromium and set CHROMIUM_PATH.'
          : 'Set CHROMIUM_PATH to a working Chromium, or CHROMIUM_PATH=none to use the packaged one.'),
      { cause: err },
    );
  }
}
