import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDaemonContext, type DaemonContext } from '../../../src/daemon/context.js';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server.js';
import { buildHttpServer } from '../../../src/http/server.js';
import { missing } from '../../support/prerequisite.js';
import { deletePrefix, testConfig } from './helpers.js';

// The Kakao Login connect flow in headless Chromium against the emulator's consent page.

const chromiumPath = '/usr/bin/chromium';
const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe.skipIf(missing(existsSync(chromiumPath)))(
  'connect flow in Chromium (needs /usr/bin/chromium)',
  () => {
    let emulator: RunningEmulator;
    let ctx: DaemonContext;
    let app: FastifyInstance;
    let base: string;
    let browser: BrowserContext;
    const profileDir = mkdtempSync(join(tmpdir(), 'talkcal-chromium-'));
    const config = testConfig();

    beforeAll(async () => {
      emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
      config.kakao = {
        ...config.kakao,
        apiBaseUrl: emulator.url,
        authBaseUrl: emulator.url,
        restApiKey: 'emulator-rest-api-key',
      };
      ctx = createDaemonContext(config);
      // The user id comes from the emulator's /v1/user/access_token_info, as from Kakao's.
      app = await buildHttpServer(ctx);
      base = await app.listen({ host: '127.0.0.1', port: 0 });
      // The redirect URI is known once the server listens (the handlers read it per request).
      config.kakao.redirectUri = `${base}/connect/callback`;
      browser = await chromium.launchPersistentContext(profileDir, {
        executablePath: chromiumPath,
        headless: true,
        args: launchArgs,
      });
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await app?.close();
      await ctx?.close();
      await emulator?.close();
      await deletePrefix(config.redis.keyPrefix);
      rmSync(profileDir, { recursive: true, force: true });
    });

    const consent = async (options: { userId?: string; decision: 'agree' | 'cancel'; scope?: string }) => {
      const page = await browser.newPage();
      await page.goto(`${base}/connect`);
      expect(page.url().startsWith(emulator.url)).toBe(true);
      if (options.userId) await page.fill('input[name="user_id"]', options.userId);
      if (options.scope !== undefined) {
        await page.locator('input[name="scope"]').evaluate((input, scope) => {
          (input as unknown as { value: string }).value = scope;
        }, options.scope);
      }
      await Promise.all([
        page.waitForURL(`${base}/connect/callback**`),
        page.click(`button[value="${options.decision}"]`),
      ]);
      return page;
    };

    it('connects a new user: tokens stored sealed, user active and scheduled, page shows the user', async () => {
      const page = await consent({ decision: 'agree' });
      await expect(page.textContent('#connected')).resolves.toMatch(/is connected/);
      const userId = (await page.textContent('#user-id')) ?? '';
      expect(userId).not.toBe('');
      const user = await ctx.registry.users.get(userId);
      expect(user).toMatchObject({ state: 'active', hasTokens: true });
      expect(await ctx.queue.isScheduled(userId)).toBe(true);
      const tokens = await ctx.registry.users.getTokens(userId);
      expect(tokens?.scopes).toEqual(expect.arrayContaining(['talk_calendar', 'talk_calendar_task']));
      expect(await page.content()).not.toContain(tokens?.accessToken ?? '<none>');
      // A published feed was issued for the new user; its URL is shown once.
      await expect(page.textContent('#feed-url')).resolves.toMatch(/\/feeds\/[^/]+\.ics$/);

      // Replaying the callback (same state, same code) shows a clear page and changes nothing.
      const callback = page.url();
      const replay = await browser.newPage();
      const answer = await replay.goto(callback);
      expect(answer?.status()).toBe(400);
      await expect(replay.textContent('h1')).resolves.toMatch(/no longer valid/);
    });

    it('a refused consent shows a clear page and registers nobody', async () => {
      const before = (await ctx.registry.users.list()).length;
      const page = await consent({ decision: 'cancel' });
      await expect(page.textContent('h1')).resolves.toBe('Consent refused');
      expect((await ctx.registry.users.list()).length).toBe(before);
    });

    it('a missing scope shows which permission is needed', async () => {
      const before = (await ctx.registry.users.list()).length;
      const page = await consent({ decision: 'agree', scope: 'talk_calendar' });
      await expect(page.textContent('h1')).resolves.toBe('Permission missing');
      await expect(page.textContent('#problem')).resolves.toMatch(/talk_calendar_task/);
      expect((await ctx.registry.users.list()).length).toBe(before);
    });

    it('a needs_reauth user reconnects the same way and is active and scheduled again', async () => {
      const [user] = await ctx.registry.users.list();
      await ctx.registry.users.setState(user!.id, 'needs_reauth', 'refresh token refused');
      await ctx.queue.unschedule(user!.id);
      const page = await consent({ decision: 'agree', userId: user!.id });
      await expect(page.textContent('#user-id')).resolves.toBe(user!.id);
      await expect(page.textContent('body')).resolves.toMatch(/published feed exists already/);
      expect(await ctx.registry.users.get(user!.id)).toMatchObject({ state: 'active' });
      expect(await ctx.queue.isScheduled(user!.id)).toBe(true);
    });
  },
);
