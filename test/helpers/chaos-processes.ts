/**
 * The connector as real processes (`node --import tsx src/cli/start.ts api|worker`), as an
 * operator runs it: each with the same environment and connector file, its stdout and stderr
 * written straight to a log file (the file descriptor is handed to the child, so a chatty debug
 * log never backs up into the test process). Node is spawned directly, never through the tsx CLI
 * wrapper, so a signal reaches the process that does the work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../src/cli/local-redis';

const ROOT = join(__dirname, '..', '..');

export type ConnectorRole = 'api' | 'worker';

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ConnectorProcess {
  readonly role: ConnectorRole;
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** API only. */
  readonly url: string | undefined;
  readonly exited: Promise<ExitInfo>;
  alive(): boolean;
  /** The log so far (from a byte offset). */
  log(fromOffset?: number): string;
  logSize(): number;
  /** Resolves once the log contains `text` (after `fromOffset`). */
  waitForLog(text: string, timeoutMs?: number, fromOffset?: number): Promise<void>;
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<ExitInfo>;
  /** SIGTERM and wait (graceful); SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<ExitInfo>;
}

export interface StartOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logDir: string;
  readonly name: string;
  /** Wait until the process says it runs (api: answers /healthz; worker: "workers running"). */
  readonly waitReady?: boolean;
  readonly readyTimeoutMs?: number;
}

export async function startConnectorProcess(
  role: ConnectorRole,
  options: StartOptions,
): Promise<ConnectorProcess> {
  const logFile = join(options.logDir, `${options.name}.log`);
  const fd = openSync(logFile, 'a');
  const port = role === 'api' ? await freePort() : undefined;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src', 'cli', 'start.ts'), role],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...options.env,
        ...(port === undefined ? {} : { PORT: String(port) }),
      },
      stdio: ['ignore', fd, fd],
    },
  );
  closeSync(fd);
  const exited = new Promise<ExitInfo>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = port === undefined ? undefined : `http://127.0.0.1:${port}`;
  const alive = () => child.exitCode === null && child.signalCode === null;
  const log = (fromOffset = 0) => {
    try {
      const text = readFileSync(logFile);
      return text.subarray(fromOffset).toString('utf8');
    } catch {
      return '';
    }
  };
  const proc: ConnectorProcess = {
    role,
    name: options.name,
    pid: child.pid ?? -1,
    logFile,
    url,
    exited,
    alive,
    log,
    logSize: () => {
      try {
        return statSync(logFile).size;
      } catch {
        return 0;
      }
    },
    async waitForLog(text, timeoutMs = 30_000, fromOffset = 0) {
      const deadline = Date.now() + timeoutMs;
      while (!log(fromOffset).includes(text)) {
        if (!alive()) {
          throw new Error(`${options.name} exited before logging "${text}":\n${log().slice(-3000)}`);
        }
        if (Date.now() > deadline) {
          throw new Error(
            `${options.name} did not log "${text}" within ${timeoutMs} ms:\n${log().slice(-3000)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    signal(signal) {
      if (alive()) {
        child.kill(signal);
      }
    },
    async kill() {
      if (alive()) {
        child.kill('SIGCONT');
        child.kill('SIGKILL');
      }
      return exited;
    },
    async stop(graceMs = 20_000) {
      if (!alive()) {
        return exited;
      }
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const info = await exited;
      clearTimeout(timer);
      return info;
    },
  };
  if (options.waitReady !== false) {
    const timeoutMs = options.readyTimeoutMs ?? 60_000;
    if (role === 'worker') {
      await proc.waitForLog('workers running', timeoutMs);
    } else {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ok = await fetch(`${url}/healthz`)
          .then((r) => r.ok)
          .catch(() => false);
        if (ok) {
          break;
        }
        if (!alive() || Date.now() > deadline) {
          await proc.kill();
          throw new Error(`${options.name} did not answer /healthz:\n${log().slice(-3000)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
  return proc;
}
