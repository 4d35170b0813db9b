/**
 * Service-API calls against the local stack (test/helpers/stack.ts) with the tokens it was started
 * with: `desk` (agent) and `oncall` (ops).
 */
import type { TestStack } from './stack';

export interface ApiAnswer<T> {
  readonly status: number;
  /** The parsed JSON, typed as the caller expects it (tests check it against the spec). */
  readonly body: T;
  readonly text: string;
}

export interface StackApi {
  readonly agentToken: string;
  readonly opsToken: string;
  get<T = unknown>(path: string, token?: string): Promise<ApiAnswer<T>>;
  post<T = unknown>(path: string, body: unknown, token?: string): Promise<ApiAnswer<T>>;
}

export function stackApi(stack: TestStack): StackApi {
  const token = (role: 'agent' | 'ops') => stack.config.apiTokens.find((t) => t.role === role)!.token;
  const agentToken = token('agent');
  const opsToken = token('ops');
  async function call<T>(method: string, path: string, body: unknown, bearer: string): Promise<ApiAnswer<T>> {
    const res = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed as T, text };
  }
  return {
    agentToken,
    opsToken,
    get: <T>(path: string, bearer = agentToken) => call<T>('GET', path, undefined, bearer),
    post: <T>(path: string, body: unknown, bearer = opsToken) => call<T>('POST', path, body, bearer),
  };
}
