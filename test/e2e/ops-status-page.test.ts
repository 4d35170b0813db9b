/**
 * The agents' status page in a real browser (headless Chromium through playwright-core; which
 * Chromium is test/helpers/browser.ts's choice) against the real stack: sign in with the form, with
 * JavaScript turned off to prove the page needs none, find requests in several states, open one, and
 * keep screenshots in test/artifacts/ for people to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { launchChromium } from '../helpers/browser';
import { stackApi } from '../helpers/ops-stack';
import { startTestStack, waitFor, type TestStack } from '../helpers/stack';

jest.setTimeout(60_000);

const ARTIFACTS = join(__dirname, '..', 'artifacts');

describe('status page in a browser', () => {
  let stack: TestStack;
  let browser: Browser;
  const tickets: Record<string, string> = {};

  beforeAll(async () => {
    // Started together; whichever did start is kept for afterAll to stop even when the other failed,
    // so a browser that cannot start fails the tests instead of leaving the stack running.
    const [started, launched] = await Promise.allSettled([startTestStack(), launchChromium()]);
    if (started.status === 'fulfilled') {
      stack = started.value;
    }
    if (launched.status === 'fulfilled') {
      browser = launched.value;
    }
    for (const result of [started, launched]) {
      if (result.status === 'rejected') {
        throw result.reason;
      }
    }
    mkdirSync(ARTIFACTS, { recursive: true });

    const order = stack.servicenow.requester.order.bind(stack.servicenow.requester);
    const done = await order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: FIXTURE.instances.acmeWeb.uuid, backup_type: 'FULL', priority: '70' },
    });
    const refused = await order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: FIXTURE.instances.globexApp.uuid },
    });
    const restore = await order('storware_restore_point', {
      requestedFor: 'alice',
      variables: {
        instance_id: FIXTURE.instances.acmeWeb.uuid,
        backup_point: 'latest',
        target_name: 'web-copy',
      },
    });
    await stack.waitForFinish(done.ritm.sysId);
    await stack.waitForFinish(refused.ritm.sysId);
    await stack.waitForEntry(restore.ritm.sysId, (e) => e.state === 'waiting_approval');
    // A long export, caught while it runs, so the page shows progress.
    stack.storware.setTaskDuration(30_000);
    const running = await order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: FIXTURE.instances.acmeDb.uuid, backup_type: 'INCREMENTAL', priority: '50' },
    });
    await stack.waitForEntry(running.ritm.sysId, (e) => (e.tasks.export?.progress ?? 0) > 0, 20_000);
    Object.assign(tickets, {
      done: done.ritm.number,
      refused: refused.ritm.number,
      restore: restore.ritm.number,
      running: running.ritm.number,
    });
    // The first run on a machine without a system Chromium also unpacks the packaged one (~200 MB).
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('when an agent signs in with the form in a browser without JavaScript, then the recent requests show with state and progress', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 860 },
    });
    const page = await context.newPage();
    try {
      await page.goto(`${stack.apiUrl}/status`);
      expect(new URL(page.url()).pathname).toBe('/status/login');
      await page.fill('#token', stackApi(stack).agentToken);
      await Promise.all([page.waitForURL(`${stack.apiUrl}/status`), page.click('button[type=submit]')]);

      const [cookie] = await context.cookies();
      expect(cookie).toMatchObject({ name: 'sic_session', httpOnly: true, sameSite: 'Strict' });
      expect(cookie!.value).not.toContain(stackApi(stack).agentToken);

      const rows = page.locator('table.grid tbody tr');
      expect(await rows.count()).toBe(4);
      const text = await page.locator('table.grid').innerText();
      expect(text).toMatch(new RegExp(`${tickets.done}\\s+Backup\\s+acme\\s+Completed\\s+100%`));
      expect(text).toMatch(new RegExp(`${tickets.restore}\\s+Restore\\s+acme\\s+Waiting for approval`));
      expect(text).toMatch(new RegExp(`${tickets.refused}\\s+Backup\\s+.*Failed`));
      expect(text).toMatch(new RegExp(`${tickets.running}\\s+Backup\\s+acme\\s+Running\\s+\\d+%`));
      expect(await page.locator('text=Signed in as').innerText()).toContain('desk');
      await page.screenshot({ path: join(ARTIFACTS, 'status-page.png'), fullPage: true });

      await page.fill('#q', tickets.refused!.toLowerCase());
      await Promise.all([page.waitForURL(`**/status/requests/${tickets.refused}`), page.click('button.btn')]);
      expect(await page.locator('h1').innerText()).toContain(tickets.refused);
      expect(await page.locator('.alert .explain').innerText()).toMatch(
        /not in the requester's OpenStack project/,
      );
      const timeline = await page.locator('ol.timeline').innerText();
      expect(timeline).toContain('request.received');
      expect(timeline).toContain('request.failed');
      await page.screenshot({ path: join(ARTIFACTS, 'status-page-failed.png'), fullPage: true });

      await page.goto(`${stack.apiUrl}/status/requests/${tickets.running}`);
      expect(await page.locator('table.grid').innerText()).toMatch(/export\s+EXPORT\s+\S+\s+RUNNING\s+\d+%/);
      await page.screenshot({ path: join(ARTIFACTS, 'status-page-request.png'), fullPage: true });

      await Promise.all([page.waitForURL('**/status/login'), page.click('text=Sign out')]);
      await page.goto(`${stack.apiUrl}/status`);
      expect(new URL(page.url()).pathname).toBe('/status/login');
    } finally {
      await context.close();
    }
  });

  it('when the signed-in agent opens the queue dashboard, then it is the read-only board', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${stack.apiUrl}/status/login?next=%2Fops%2Fqueues`);
      await page.fill('#token', stackApi(stack).agentToken);
      await Promise.all([page.waitForURL('**/ops/queues'), page.click('button[type=submit]')]);
      expect(await page.title()).toBe('Connector queues (read-only)');
      await waitFor(
        async () => ((await page.locator('text=requests').count()) > 0 ? true : undefined),
        10_000,
        'the board',
      );
    } finally {
      await context.close();
    }
  });
});
