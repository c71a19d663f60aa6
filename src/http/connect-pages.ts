import type { UserStatus } from '../daemon/status.js';

// The small HTML pages of the connect flow. Every interpolated value is escaped.

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)} — talkcal-sync</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}

export function problemPage(title: string, message: string, retryUrl: string): string {
  return page(
    title,
    `<p id="problem">${escapeHtml(message)}</p><p><a href="${escapeHtml(retryUrl)}">Connect again</a></p>`,
  );
}

export function connectedPage(status: UserStatus, feed: { url: string } | 'existing' | undefined): string {
  const rows = status.links
    .map(
      (l) =>
        `<tr><td>${escapeHtml(l.name ?? l.id)}</td><td>${escapeHtml(l.source.type)}</td><td>${escapeHtml(l.source.url)}</td><td>${escapeHtml(l.target.kind)}</td></tr>`,
    )
    .join('\n');
  const links =
    status.links.length > 0
      ? `<table><tr><th>Link</th><th>Type</th><th>Source</th><th>Target</th></tr>${rows}</table>`
      : '<p>No links yet: an administrator adds them with <code>talkcal links add</code>.</p>';
  const waiting = status.admission;
  const last = status.lastRun
    ? `${escapeHtml(status.lastRun.finishedAt)} (${escapeHtml(status.lastRun.outcome)})`
    : waiting
      ? `not yet — ${waiting.position} ${waiting.position === 1 ? 'user is' : 'users are'} ahead of you; the first sync starts in about ${Math.max(1, Math.round(waiting.etaSeconds / 60))} min`
      : 'not yet — the first sync is queued';
  const feedLine =
    feed === 'existing'
      ? '<p>Your published feed exists already; its address was shown when it was created (an administrator can rotate it to get a new one).</p>'
      : feed
        ? `<p>Published feed (subscribe to it in any calendar app; keep it private): <a id="feed-url" href="${escapeHtml(feed.url)}">${escapeHtml(feed.url)}</a></p>`
        : '';
  return page(
    'Connected to Talk Calendar',
    `<p id="connected">Kakao user <strong id="user-id">${escapeHtml(status.user.id)}</strong> is connected (state: ${escapeHtml(status.user.state)}).</p>
${links}
<p>Last sync: <span id="last-sync">${last}</span></p>
${feedLine}`,
  );
}
