/**
 * The session cookie store. Storware's cookie name is not documented (docs/storware-api.md §2, §9), so
 * every cookie the server sets is kept and sent back, the way the Horizon plugin's
 * `requests.Session` does. One host only, so domain and path attributes are irrelevant; expiry
 * attributes are honoured because a server clears a cookie by expiring it.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Takes the `Set-Cookie` header(s) of one answer. */
  store(setCookie: string | readonly string[] | undefined, now: number = Date.now()): void {
    if (setCookie === undefined) {
      return;
    }
    for (const line of typeof setCookie === 'string' ? [setCookie] : setCookie) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (isExpired(attributes, now)) {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
  }

  /** The `Cookie` request header, or undefined when the jar is empty. */
  header(): string | undefined {
    if (this.cookies.size === 0) {
      return undefined;
    }
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** The values, so error and log scrubbing can remove them wherever they appear. */
  values(): string[] {
    return [...this.cookies.values()].filter((v) => v.length > 0);
  }

  get size(): number {
    return this.cookies.size;
  }

  clear(): void {
    this.cookies.clear();
  }
}

function isExpired(attributes: readonly string[], now: number): boolean {
  for (const raw of attributes) {
    const eq = raw.indexOf('=');
    const key = (eq < 0 ? raw : raw.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? '' : raw.slice(eq + 1).trim();
    if (key === 'max-age' && /^-?\d+$/.test(value) && Number(value) <= 0) {
      return true;
    }
    if (key === 'expires') {
      const at = Date.parse(value);
      if (!Number.isNaN(at) && at <= now) {
        return true;
      }
    }
  }
  return false;
}
