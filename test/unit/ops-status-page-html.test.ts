/** The status page's HTML: everything interpolated is escaped; links stay on our own pages. */
import { escapeHtml, html, page, requestBody, requestHref } from '../../src/http/status-page/html';
import { safeNext } from '../../src/http/status-page/route';
import { requestDetailView } from '../../src/ops/request-view';
import type { LedgerEntry } from '../../src/ledger';

describe('status page HTML', () => {
  it('when a value is interpolated, then every HTML-significant character is escaped; fragments nest unescaped', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"quoted"'}">${inner}${['<1>', 2]}${undefined}${false}</p>`.text).toBe(
      '<p title="&quot;quoted&quot;"><b>&lt;i&gt;</b>&lt;1&gt;2</p>',
    );
  });

  it('when a ticket link is built, then the number is URL-encoded under /status/requests', () => {
    expect(requestHref('RITM001')).toBe('/status/requests/RITM001');
    expect(requestHref('a/../b?c')).toBe('/status/requests/a%2F..%2Fb%3Fc');
  });

  it.each([
    ['/status', '/status'],
    ['/status/requests/RITM1', '/status/requests/RITM1'],
    ['/status?state=failed', '/status?state=failed'],
    ['/ops/queues', '/ops/queues'],
    ['https://evil.example', '/status'],
    ['//evil.example', '/status'],
    ['/status//evil', '/status'],
    ['/statusx', '/status'],
    ['/api/jobs', '/status'],
    [undefined, '/status'],
  ])('when the login asks to go back to %s, then it goes to %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  it('when a request page is rendered, then it has no script, the refresh tag when asked, and escaped facts', () => {
    const entry: LedgerEntry = {
      requestId: 'r-0123456789abcdef0123456789abcdef',
      ritmSysId: '0123456789abcdef0123456789abcdef',
      number: 'RITM0010001',
      item: 'storware_backup_now',
      tenant: 'acme',
      state: 'running',
      step: 'poll',
      createdAt: 0,
      updatedAt: 1000,
      jobIds: [],
      tasks: {
        export: {
          guid: 'g-1',
          type: 'EXPORT',
          state: 'RUNNING',
          progress: 55,
          createdAt: 0,
          message: '<b>slow</b>',
        },
      },
      timeline: [{ at: 0, type: 'request.received', message: 'received <now>' }],
      cancelRequested: false,
    };
    const document = page(
      { title: 'RITM0010001', actor: { name: 'desk', role: 'agent' }, refreshSeconds: 10 },
      requestBody(requestDetailView(entry, [], [])),
    );
    expect(document).not.toContain('<script');
    expect(document).toMatch(/<meta http-equiv="refresh" content="10"\s*\/?>/);
    expect(document).toContain('<progress value="55" max="100"');
    expect(document).toContain('&lt;b&gt;slow&lt;/b&gt;');
    expect(document).toContain('received &lt;now&gt;');
  });
});
