/**
 * The status page's HTML, rendered on the server from the same views the API returns. No
 * JavaScript anywhere; the page refreshes itself with `<meta http-equiv="refresh">`.
 *
 * Escaping is not left to care: `html` is a tagged template that escapes every interpolated value
 * (`& < > " '`), so ticket numbers, messages, approver names and error texts — all of which come
 * from outside — can only ever be text. Only other `html` fragments pass through unescaped. URLs
 * are built from `encodeURIComponent` pieces under fixed paths, never taken as given.
 */
import type { RequestState } from '../../ledger';
import { REQUEST_STATES, isTerminalState } from '../../ledger';
import type { RequestDetailView, RequestSummaryView } from '../../ops/request-view';
import { stateLabel } from '../../ops/request-view';
import type { Actor } from '../../ops/actor';

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function piece(value: unknown): string {
  if (value instanceof Html) {
    return value.text;
  }
  if (Array.isArray(value)) {
    return value.map(piece).join('');
  }
  if (value === undefined || value === null || value === false) {
    return '';
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return escapeHtml(String(value));
  }
  // An object here is a template mistake; rendering "[object Object]" would hide it.
  throw new TypeError(`cannot render a ${typeof value} into HTML`);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += piece(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** `2026-11-28 21:03:11 UTC` */
export function formatTime(ms: number | undefined): string {
  return ms === undefined ? '—' : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function requestHref(ticket: string): string {
  return `/status/requests/${encodeURIComponent(ticket)}`;
}

const TICKET_STATE: Record<string, string> = {
  '2': 'Work in progress',
  '3': 'Closed complete',
  '4': 'Closed incomplete',
};

function badgeClass(state: RequestState): string {
  switch (state) {
    case 'succeeded':
      return 'ok';
    case 'failed':
    case 'rejected':
      return 'bad';
    case 'cancelled':
    case 'expired':
      return 'muted';
    case 'running':
      return 'run';
    case 'waiting_approval':
    case 'waiting_window':
    case 'waiting_inventory':
      return 'wait';
    case 'received':
    case 'queued':
      return 'new';
  }
}

function badge(state: RequestState): Html {
  return html`<span class="badge badge-${badgeClass(state)}">${stateLabel(state)}</span>`;
}

function progressBar(percent: number | undefined, label: string): Html {
  if (percent === undefined) {
    return html`<span class="muted">—</span>`;
  }
  const value = Math.round(Math.min(100, Math.max(0, percent)));
  return html`<span class="progress"
    ><progress value="${value}" max="100" aria-label="${label}">${value}%</progress
    ><span class="pct">${value}%</span></span
  >`;
}

export interface PageFrame {
  readonly title: string;
  readonly actor?: Actor;
  /** Seconds; omitted or 0: no auto-refresh. */
  readonly refreshSeconds?: number;
}

export function page(frame: PageFrame, body: Html): string {
  const refresh = frame.refreshSeconds !== undefined && frame.refreshSeconds > 0 ? frame.refreshSeconds : 0;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        ${refresh > 0 ? html`<meta http-equiv="refresh" content="${refresh}" />` : ''}
        <title>${frame.title} · Storware ITSM connector</title>
        <link rel="stylesheet" href="/status/style.css" />
      </head>
      <body>
        <header class="topbar">
          <div class="wrap topbar-inner">
            <a class="brand" href="/status"
              ><span class="mark" aria-hidden="true"></span><span>Storware ITSM connector</span
              ><span class="brand-sub">Request status</span></a
            >
            ${
              frame.actor
                ? html`<div class="who">
                    <span
                      >Signed in as <strong>${frame.actor.name}</strong>
                      <span class="role">${frame.actor.role}</span></span
                    >
                    <form method="post" action="/status/logout">
                      <button type="submit" class="btn-link">Sign out</button>
                    </form>
                  </div>`
                : ''
            }
          </div>
        </header>
        <main class="wrap">${body}</main>
        <footer class="wrap foot">
          Times are UTC.${refresh > 0 ? html` This page refreshes every ${refresh} s.` : ''} Service-desk view
          of the storware-itsm-connector request ledger.
        </footer>
      </body>
    </html> `.text;
}

export interface RequestRow {
  readonly summary: RequestSummaryView;
  readonly progress?: number;
}

export interface HomeModel {
  readonly query: string;
  readonly state?: RequestState;
  readonly rows: readonly RequestRow[];
  readonly nextCursor?: string;
  /** Shown above the list (a search that found nothing, a malformed reference). */
  readonly notice?: string;
}

export function homeBody(model: HomeModel): Html {
  const options = REQUEST_STATES.map(
    (s) => html`<option value="${s}" ${model.state === s ? html` selected` : ''}>${stateLabel(s)}</option>`,
  );
  const more = model.nextCursor
    ? `/status?cursor=${encodeURIComponent(model.nextCursor)}${model.state ? `&state=${encodeURIComponent(model.state)}` : ''}`
    : undefined;
  const rows = model.rows.map(
    ({ summary: r, progress }) =>
      html`<tr>
        <td><a class="ticket" href="${requestHref(r.ticket)}">${r.ticket}</a></td>
        <td>${r.itemLabel}</td>
        <td>${r.tenant ?? html`<span class="muted">—</span>`}</td>
        <td>${badge(r.state)}</td>
        <td>${progressBar(progress, `Progress of ${r.ticket}`)}</td>
        <td class="nowrap">${formatTime(r.updatedAt)}</td>
      </tr>`,
  );
  return html`<section class="card">
      <form class="search" method="get" action="/status" role="search">
        <label for="q">Find a request</label>
        <div class="search-row">
          <input
            id="q"
            name="q"
            type="search"
            value="${model.query}"
            placeholder="Ticket number (RITM0010001), RITM sys_id or request id"
            autocomplete="off"
            spellcheck="false"
          />
          <select name="state" aria-label="Only requests in this state">
            <option value="">All states</option>
            ${options}
          </select>
          <button type="submit" class="btn">Search</button>
        </div>
      </form>
      ${model.notice ? html`<p class="notice" role="status">${model.notice}</p>` : ''}
    </section>
    <section class="card">
      <div class="card-head">
        <h2>${model.state ? html`Requests: ${stateLabel(model.state)}` : 'Recent requests'}</h2>
        <span class="muted">Most recently updated first</span>
      </div>
      ${
        model.rows.length === 0
          ? html`<p class="empty">No requests${model.state ? ' in this state' : ''} yet.</p>`
          : html`<div class="table-scroll">
              <table class="grid">
                <thead>
                  <tr>
                    <th>Ticket</th>
                    <th>Item</th>
                    <th>Tenant</th>
                    <th>State</th>
                    <th>Progress</th>
                    <th>Updated</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>
            </div>`
      }
      ${more ? html`<p class="more"><a href="${more}">Older requests →</a></p>` : ''}
    </section>`;
}

function fact(label: string, value: unknown, wide = false): Html {
  return html`<div class="fact${wide ? ' fact-wide' : ''}">
    <dt>${label}</dt>
    <dd>${value === undefined || value === '' ? html`<span class="muted">—</span>` : value}</dd>
  </div>`;
}

/** A fact only when it is known (approval and window details vary by request). */
function knownFact(label: string, value: unknown): Html | '' {
  return value === undefined || value === '' ? '' : fact(label, value);
}

/** Timeline dot colour: failures red, success green, ops actions amber. */
function eventTone(type: string): string {
  if (type.startsWith('ops.')) {
    return 'tl-ops';
  }
  if (
    /^request\.(failed|rejected|expired|cancelled|attempts_exhausted|retry)$/.test(type) ||
    type.endsWith('_refused')
  ) {
    return 'tl-bad';
  }
  return type === 'request.succeeded' ? 'tl-ok' : '';
}

function updateLine(u: RequestDetailView['ticketUpdates']['pending'][number]): Html {
  const parts: Html[] = [];
  if (u.state !== undefined) {
    parts.push(html`<span class="chip">state → ${TICKET_STATE[String(u.state)] ?? u.state}</span>`);
  }
  if (u.kind === 'progress') {
    parts.push(html`<span class="chip">progress note</span>`);
  }
  return html`<li>
    <div class="upd-head">${parts}<span class="muted">queued ${formatTime(u.createdAt)}</span></div>
    ${u.comment ? html`<p><span class="lbl">Comment to requester</span>${u.comment}</p>` : ''}
    ${u.workNote ? html`<p><span class="lbl">Work note</span>${u.workNote}</p>` : ''}
  </li>`;
}

export function requestBody(r: RequestDetailView): Html {
  const terminal = isTerminalState(r.state);
  const job = r.jobs[0];
  const tasks = r.tasks.map(
    (t) =>
      html`<tr>
          <td>${t.step}</td>
          <td>${t.type}</td>
          <td><code>${t.guid}</code></td>
          <td>${t.state}</td>
          <td>${progressBar(t.progress, `Progress of task ${t.guid}`)}</td>
          <td class="nowrap">${formatTime(t.endedAt ?? t.updatedAt ?? t.createdAt)}</td>
        </tr>
        ${
          t.message
            ? html`<tr class="sub">
                <td></td>
                <td colspan="5">${t.message}</td>
              </tr>`
            : ''
        }`,
  );
  const timeline = [...r.timeline].reverse().map(
    (e) =>
      html`<li class="${eventTone(e.type)}">
        <time>${formatTime(e.at)}</time><span class="etype">${e.type}</span>
        <p>${e.message}</p>
      </li>`,
  );
  const approval = r.approval
    ? html`<section class="card">
        <h2>Approval</h2>
        <dl class="facts">
          ${fact('Status', r.approval.status)} ${knownFact('Approvals needed', r.approval.needed)}
          ${knownFact('Approved by', r.approval.approvers)}
          ${knownFact('Requested', r.approval.requestedAt === undefined ? undefined : formatTime(r.approval.requestedAt))}
          ${knownFact('Reference', r.approval.reference === undefined ? undefined : html`<code>${r.approval.reference}</code>`)}
        </dl>
      </section>`
    : '';
  const window = r.window
    ? html`<section class="card">
        <h2>Time window</h2>
        <dl class="facts">
          ${knownFact('Starts', r.window.startsAt === undefined ? undefined : formatTime(r.window.startsAt))}
          ${knownFact('Window opened', r.window.windowStart === undefined ? undefined : formatTime(r.window.windowStart))}
          ${knownFact('Must start before', r.window.windowEnd === undefined ? undefined : formatTime(r.window.windowEnd))}
        </dl>
      </section>`
    : '';
  return html`<p class="crumbs"><a href="/status">← All requests</a></p>
    <section class="card">
      <div class="title-row">
        <h1>${r.ticket} <span class="muted">· ${r.itemLabel}</span></h1>
        <div class="title-side">
          <span class="muted small">Updated ${formatTime(r.updatedAt)}</span>${badge(r.state)}
        </div>
      </div>
      ${r.progress !== undefined ? html`<div class="overall">${progressBar(r.progress, 'Overall progress')}</div>` : ''}
      <dl class="facts">
        ${fact('Tenant', r.tenant)} ${fact('Step', r.step)}
        ${fact('Ticket in ServiceNow', r.ticketState === undefined ? undefined : (TICKET_STATE[r.ticketState] ?? r.ticketState))}
        ${fact('Created', formatTime(r.createdAt))}
        ${fact('Request id', html`<code>${r.requestId}</code>`, true)}
        ${fact(
          'Job',
          job
            ? html`<code>${job.id}</code>
                <span class="muted"
                  >${job.state} · ${job.attemptsMade} attempt${job.attemptsMade === 1 ? '' : 's'}</span
                >`
            : undefined,
          true,
        )}
        ${r.cancelRequested ? fact('Cancellation', 'requested') : ''}
      </dl>
    </section>
    ${
      r.lastError
        ? html`<section class="card alert ${terminal ? 'alert-bad' : 'alert-warn'}">
            <h2>${terminal ? 'Why it did not complete' : 'Problem'}</h2>
            <p class="explain">${r.lastError.explanation}</p>
            <p class="detail">${r.lastError.message}</p>
            <p class="muted small">
              <code>${r.lastError.code}</code> ·
              ${formatTime(r.lastError.at)}${r.lastError.retryable && !terminal ? ' · retrying' : ''}
            </p>
          </section>`
        : ''
    }
    <section class="card">
      <h2>Storware tasks</h2>
      ${
        r.tasks.length === 0
          ? html`<p class="empty">${terminal ? 'No Storware task was created.' : 'No Storware task yet.'}</p>`
          : html`<div class="table-scroll">
              <table class="grid">
                <thead>
                  <tr>
                    <th>Step</th>
                    <th>Type</th>
                    <th>Task id</th>
                    <th>State</th>
                    <th>Progress</th>
                    <th>Last change</th>
                  </tr>
                </thead>
                <tbody>
                  ${tasks}
                </tbody>
              </table>
            </div>`
      }
    </section>
    ${approval || window ? html`<div class="two">${approval}${window}</div>` : ''}
    <section class="card">
      <h2>Ticket updates</h2>
      ${
        r.ticketUpdates.pending.length > 0
          ? html`<h3>Waiting to be written to ServiceNow</h3>
              <ul class="updates">
                ${r.ticketUpdates.pending.map(updateLine)}
              </ul>`
          : html`<p class="muted">Nothing waiting to be written to ServiceNow.</p>`
      }
      ${
        r.ticketUpdates.sent.length > 0
          ? html`<h3>State changes written</h3>
              <ul class="sent">
                ${r.ticketUpdates.sent.map(
                  (e) => html`<li><time>${formatTime(e.at)}</time> ${e.message}</li>`,
                )}
              </ul>`
          : ''
      }
    </section>
    <section class="card">
      <h2>Timeline <span class="muted small">newest first</span></h2>
      <ol class="timeline">
        ${timeline}
      </ol>
    </section>`;
}

export function notFoundBody(ref: string): Html {
  return html`<p class="crumbs"><a href="/status">← All requests</a></p>
    <section class="card">
      <h1>No request ${ref}</h1>
      <p>
        The connector has no request with this ticket number, sys_id or request id. Finished requests are kept
        for the ledger's retention period, then forgotten; the ticket in ServiceNow keeps the full history.
      </p>
    </section>`;
}

export function loginBody(model: { error?: string; next: string }): Html {
  return html`<section class="card login">
    <h1>Sign in</h1>
    <p class="muted">
      Use an API token from <code>API_TOKENS</code> (agent or ops). It opens a session for this browser; the
      token itself is not stored in the browser.
    </p>
    ${model.error ? html`<p class="notice notice-bad" role="alert">${model.error}</p>` : ''}
    <form method="post" action="/status/login">
      <input type="hidden" name="next" value="${model.next}" />
      <label for="token">API token</label>
      <input id="token" name="token" type="password" autocomplete="off" required />
      <button type="submit" class="btn">Sign in</button>
    </form>
  </section>`;
}
