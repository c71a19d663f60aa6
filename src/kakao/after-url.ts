import { KakaoForeignUrlError } from './errors.js';

// Pages after the first are read from the `after_url` Kakao returns. The token goes with that
// request, so the URL is only followed on the configured API origin: Kakao's production origin is
// mapped onto the configured apiBaseUrl (emulator, proxy) and every other origin is refused.

export const kakaoApiOrigin = 'https://kapi.kakao.com';

export function resolveAfterUrl(afterUrl: string, apiBaseUrl: string, endpoint: string): string {
  const base = new URL(apiBaseUrl);
  let url: URL;
  try {
    url = new URL(afterUrl, base);
  } catch {
    throw refuse(afterUrl, endpoint, 'is not a URL');
  }
  if (url.username || url.password) throw refuse(afterUrl, endpoint, 'carries credentials');
  if (url.origin === base.origin) return url.href;
  if (url.origin === kakaoApiOrigin) {
    const prefix = base.pathname.replace(/\/+$/, '');
    return new URL(`${prefix}${url.pathname}${url.search}`, base.origin).href;
  }
  throw refuse(afterUrl, endpoint, `is outside ${base.origin}`);
}

function refuse(afterUrl: string, endpoint: string, why: string): KakaoForeignUrlError {
  let shown = '[unparseable]';
  try {
    shown = new URL(afterUrl).origin;
  } catch {}
  return new KakaoForeignUrlError(
    { status: 0, endpoint },
    `${endpoint}: refusing to follow after_url on ${shown}: it ${why}`,
  );
}
