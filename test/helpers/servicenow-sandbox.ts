/**
 * Runs the ServiceNow scripts the update set ships (src/catalog/servicenow-scripts/*.js) in a
 * node:vm sandbox with small, honest fakes of the Glide APIs they use:
 * - CertificateEncryption.generateMac: node:crypto HMAC with the base64-decoded key, as documented
 *   (docs/servicenow.md §3); a key that is not base64 (e.g. still carrying `whsec_`) throws, as Java would.
 * - sn_ws.RESTMessageV2: captures the request byte for byte; the answer comes from `respond`.
 * - gs: properties, the event queue, the user name, logs. GlideDateTime: a settable clock.
 * - RITM records (`current`, `previous`) with getValue/getUniqueValue/operation and `variables`
 *   whose answers stringify to their value and report changes().
 * Client scripts get a fake g_form.
 */
import { createHmac } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { readScript, type ScriptName } from '../../src/catalog/update-set/servicenow-scripts';

export interface CapturedRequest {
  endpoint: string;
  method: string;
  timeoutMs: number | undefined;
  headers: Record<string, string>;
  body: string;
  substitutionDisabled: boolean;
}

export interface FakeAnswer {
  /** 0 for "no answer" (connection refused, timeout). */
  readonly status: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  readonly error?: string;
}

export interface QueuedEvent {
  readonly name: string;
  readonly record: FakeRecord;
  readonly parm1: string;
  readonly parm2: string;
  /** Epoch ms the event is scheduled for (eventQueueScheduled), undefined for eventQueue. */
  readonly processOnMs?: number;
}

export interface SandboxOptions {
  readonly properties?: Record<string, string>;
  readonly userName?: string;
  readonly nowMs?: () => number;
  readonly respond?: (request: CapturedRequest) => FakeAnswer;
  /** Throw from executeAsync (a connection that cannot even be attempted). */
  readonly throwOnSend?: string;
  /** Expose the MAC class under its older global name only. */
  readonly legacyMacClass?: boolean;
}

export interface ServiceNowSandbox {
  readonly requests: CapturedRequest[];
  readonly events: QueuedEvent[];
  readonly logs: Array<{ level: 'debug' | 'info' | 'warn' | 'error'; message: string }>;
  readonly properties: Record<string, string>;
  /** Runs code in the sandbox with extra globals (current, previous, event…) and returns its value. */
  run(code: string, globals?: Record<string, unknown>): unknown;
  /** `new StorwareConnectorWebhook()` from the shipped script include. */
  webhook(): WebhookScriptInclude;
  /** Runs one of the shipped scripts as the platform would, with the given globals. */
  runScript(name: ScriptName, globals: Record<string, unknown>): unknown;
  setNow(ms: number): void;
}

/** The script include's surface, as the tests call it. */
export interface WebhookScriptInclude {
  itemKey(ritm: FakeRecord): string;
  classify(current: FakeRecord, previous: FakeRecord | null): string;
  notify(current: FakeRecord, previous: FakeRecord | null): string;
  deliver(ritm: FakeRecord, seenJson: string, attempt: string): string;
  secrets(): string[];
  retryDelaySeconds(attempt: number, retryAfter: number): number;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, as Glide stores date-times. */
export function glideDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function createSandbox(options: SandboxOptions = {}): ServiceNowSandbox {
  const requests: CapturedRequest[] = [];
  const events: QueuedEvent[] = [];
  const logs: ServiceNowSandbox['logs'] = [];
  const properties: Record<string, string> = { ...options.properties };
  let now = options.nowMs ?? (() => Date.now());

  class GlideDateTime {
    #ms = now();
    getNumericValue(): number {
      return this.#ms;
    }
    addSeconds(seconds: number): void {
      this.#ms += seconds * 1000;
    }
    getValue(): string {
      return glideDateTime(this.#ms);
    }
  }

  class MacGenerator {
    generateMac(key: string, algorithm: string, data: string): string {
      if (algorithm !== 'HmacSHA256') {
        throw new Error(`fake CertificateEncryption only knows HmacSHA256, not ${algorithm}`);
      }
      if (!BASE64.test(key)) {
        throw new Error('generateMac: the key must be base64-encoded');
      }
      return createHmac('sha256', Buffer.from(key, 'base64')).update(data, 'utf8').digest('base64');
    }
  }

  class RESTMessageV2 {
    #request: CapturedRequest = {
      endpoint: '',
      method: '',
      timeoutMs: undefined,
      headers: {},
      body: '',
      substitutionDisabled: false,
    };
    disableForcedVariableSubstitution(): void {
      this.#request.substitutionDisabled = true;
    }
    setEndpoint(url: string): void {
      this.#request.endpoint = url;
    }
    setHttpMethod(method: string): void {
      this.#request.method = method.toUpperCase();
    }
    setHttpTimeout(ms: number): void {
      this.#request.timeoutMs = ms;
    }
    setRequestHeader(name: string, value: string): void {
      this.#request.headers[name] = String(value);
    }
    setRequestBody(body: string): void {
      this.#request.body = String(body);
    }
    executeAsync(): unknown {
      if (options.throwOnSend !== undefined) {
        throw new Error(options.throwOnSend);
      }
      requests.push(this.#request);
      const answer = options.respond?.(this.#request) ?? { status: 202, body: '{}' };
      const headers = Object.fromEntries(
        Object.entries(answer.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
      );
      return {
        waitForResponse: () => undefined,
        getStatusCode: () => answer.status,
        getBody: () => answer.body ?? '',
        getHeader: (name: string) => headers[name.toLowerCase()] ?? null,
        haveError: () => answer.error !== undefined || answer.status === 0,
        getErrorMessage: () => answer.error ?? (answer.status === 0 ? 'Connection refused' : ''),
      };
    }
  }

  const gs = {
    getProperty: (name: string, fallback?: string) => (name in properties ? properties[name] : fallback),
    getUserName: () => options.userName ?? 'abel.tuter',
    eventQueue: (name: string, record: FakeRecord, parm1: string, parm2: string) => {
      events.push({ name, record, parm1: String(parm1), parm2: String(parm2) });
    },
    eventQueueScheduled: (
      name: string,
      record: FakeRecord,
      parm1: string,
      parm2: string,
      when: GlideDateTime,
    ) => {
      events.push({
        name,
        record,
        parm1: String(parm1),
        parm2: String(parm2),
        processOnMs: when.getNumericValue(),
      });
    },
    debug: (message: string) => logs.push({ level: 'debug', message }),
    info: (message: string) => logs.push({ level: 'info', message }),
    warn: (message: string) => logs.push({ level: 'warn', message }),
    error: (message: string) => logs.push({ level: 'error', message }),
  };

  const context: Record<string, unknown> = {
    Class: {
      create: () =>
        function (this: { initialize?: (...args: unknown[]) => void }, ...args: unknown[]) {
          this.initialize?.(...args);
        },
    },
    gs,
    GlideDateTime,
    sn_ws: { RESTMessageV2 },
    ...(options.legacyMacClass
      ? { GlideCertificateEncryption: MacGenerator }
      : { CertificateEncryption: MacGenerator }),
  };
  runInNewContext(readScript('scriptInclude'), context, { filename: 'StorwareConnectorWebhook' });

  function run(code: string, globals: Record<string, unknown> = {}): unknown {
    Object.assign(context, globals);
    try {
      return runInNewContext(code, context);
    } finally {
      for (const key of Object.keys(globals)) {
        delete context[key];
      }
    }
  }

  return {
    requests,
    events,
    logs,
    properties,
    run,
    webhook: () => run('new StorwareConnectorWebhook()') as WebhookScriptInclude,
    runScript: (name, globals) => run(readScript(name), globals),
    setNow: (ms: number) => {
      now = () => ms;
    },
  };
}

export interface FakeRecordInit {
  readonly sysId: string;
  readonly fields: Record<string, string>;
  readonly variables?: Record<string, string>;
  /** Names of the variables that changed in this update. */
  readonly changedVariables?: readonly string[];
  readonly operation?: 'insert' | 'update';
}

export interface FakeRecord {
  getValue(field: string): string | null;
  getUniqueValue(): string;
  operation(): string;
  readonly variables: Record<string, { toString(): string; changes(): boolean }>;
}

/** A GlideRecord-like sc_req_item. Empty fields read as null, as getValue does. */
export function fakeRecord(init: FakeRecordInit): FakeRecord {
  const variables: FakeRecord['variables'] = {};
  for (const [name, value] of Object.entries(init.variables ?? {})) {
    const changed = init.changedVariables?.includes(name) ?? false;
    variables[name] = { toString: () => value, changes: () => changed };
  }
  return {
    getValue: (field) => {
      const value = field === 'sys_id' ? init.sysId : init.fields[field];
      return value === undefined || value === '' ? null : value;
    },
    getUniqueValue: () => init.sysId,
    operation: () => init.operation ?? 'update',
    variables,
  };
}

/** A fake g_form over a map of answers, recording field messages. */
export function fakeForm(values: Record<string, string>) {
  const messages: Array<{ field: string; message: string; type: string }> = [];
  return {
    messages,
    g_form: {
      getValue: (name: string) => values[name] ?? '',
      hideFieldMsg: (name: string) => {
        for (let i = messages.length - 1; i >= 0; i -= 1) {
          if (messages[i]!.field === name) {
            messages.splice(i, 1);
          }
        }
      },
      showFieldMsg: (field: string, message: string, type: string) => messages.push({ field, message, type }),
    },
  };
}
