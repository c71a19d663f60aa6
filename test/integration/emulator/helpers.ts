import { afterAll, beforeAll } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../../src/emulator/server.js';

// Raw HTTP helpers for the emulator tests: no client library, only fetch with the documented shapes.

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export async function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, ...options });
}

/** One emulator for the calling test file: started (then `setup`) before its tests, closed after. */
export function useEmulator(
  options: EmulatorOptions = {},
  setup: (emu: RunningEmulator) => void | Promise<void> = () => {},
): { readonly emu: RunningEmulator } {
  let started: RunningEmulator | undefined;
  beforeAll(async () => {
    started = await start(options);
    await setup(started);
  });
  afterAll(async () => {
    await started?.close();
  });
  return {
    get emu(): RunningEmulator {
      if (!started) throw new Error('the emulator is not started yet (use it inside a test or hook)');
      return started;
    },
  };
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export function api(emu: RunningEmulator, token: string) {
  const auth = token.startsWith('KakaoAK ') ? token : `Bearer ${token}`;
  return {
    get: async (path: string, query: Record<string, string> = {}) =>
      answer(
        await fetch(`${emu.url}${path}?${new URLSearchParams(query)}`, { headers: { authorization: auth } }),
      ),
    del: async (path: string, query: Record<string, string> = {}) =>
      answer(
        await fetch(`${emu.url}${path}?${new URLSearchParams(query)}`, {
          method: 'DELETE',
          headers: { authorization: auth },
        }),
      ),
    post: async (path: string, form: Record<string, string | object>) => {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) body.set(k, typeof v === 'string' ? v : JSON.stringify(v));
      return answer(
        await fetch(`${emu.url}${path}`, { method: 'POST', headers: { authorization: auth }, body }),
      );
    },
    url: async (url: string) => answer(await fetch(url, { headers: { authorization: auth } })),
  };
}

export const timed = (start: string, end: string) => ({
  start_at: start,
  end_at: end,
  time_zone: 'Asia/Seoul',
});

export const V2 = '/v2/api/calendar';
export const V1 = '/v1/api/calendar';
