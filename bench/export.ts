// Export and write-back throughput: N generated Kakao events (timed, all-day, weekly series with a
// listed-instance set, lunar, other apps' busy blocks) → VEVENT specs → one rendered VCALENDAR; then
// the same specs patched into their own rendered objects (a changed SUMMARY) and the VTODO
// round trip. Prints items/second per stage. Run: npx tsx bench/export.ts [events]
import { performance } from 'node:perf_hooks';
import type { EventBrief, EventDetail, Task } from '../src/kakao/types.js';
import { line } from '../src/translate/component-spec.js';
import { patchIcs } from '../src/translate/ics-patch.js';
import { kakaoEventToVevents } from '../src/translate/kakao-to-ical.js';
import { defaultLimits } from '../src/translate/limits.js';
import { renderVevents } from '../src/translate/render-vevents.js';
import { translateTodo } from '../src/translate/task.js';
import { taskToVtodo } from '../src/translate/task-to-ical.js';
import { vtodoText } from '../test/support/ics-text.js';

const count = Number(process.argv[2] ?? 5_000);
const now = new Date('2026-05-01T00:00:00Z');
const horizon = { from: new Date('2026-04-01T00:00:00Z'), to: new Date('2027-05-01T00:00:00Z') };
const zones = ['Asia/Seoul', 'Europe/Berlin', 'America/New_York'];
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000', '');

function event(i: number): { event: EventDetail | EventBrief; instances?: EventBrief[] } {
  const start = Date.UTC(2026, 4, 1 + (i % 200), i % 24, (i % 12) * 5);
  const time = { start_at: iso(start), end_at: iso(start + 45 * 60_000), time_zone: zones[i % zones.length] };
  if (i % 10 === 9) return { event: { time } };
  const base = {
    id: `ev${i}`,
    title: `Event ${i}`,
    type: 'USER' as const,
    calendar_id: 'primary',
    is_host: true,
  };
  if (i % 10 === 8) {
    const day = Date.UTC(2020, 0, 1 + (i % 300));
    const lunar = { start_at: iso(day), end_at: iso(day + 86_400_000), all_day: true, lunar: true };
    return { event: { ...base, time: lunar, rrule: 'FREQ=YEARLY' } };
  }
  if (i % 3 === 0) {
    const weeks = 52;
    const instances: EventBrief[] = [];
    for (let w = 0; w < weeks; w++) {
      if (w % 7 === 3) continue; // deleted → EXDATE
      const s = start + w * 7 * 86_400_000;
      const id = `${base.id}_${iso(s).replace(/[-:]/g, '')}`;
      instances.push({
        id,
        title: w % 11 === 5 ? 'Moved' : base.title,
        time: { ...time, start_at: iso(s), end_at: iso(s + 45 * 60_000) },
      });
    }
    return {
      event: {
        ...base,
        time,
        rrule: 'FREQ=WEEKLY',
        dt_start: time.start_at,
        reminders: [15, 60],
        color: 'RED',
        description: 'd',
      },
      instances,
    };
  }
  return {
    event: { ...base, time, reminders: [5], location: { name: 'Room', latitude: 37.5, longitude: 127 } },
  };
}

const inputs = Array.from({ length: count }, (_, i) => event(i));

let t = performance.now();
const specs = inputs.flatMap(({ event: e, instances }) =>
  kakaoEventToVevents(e, {
    horizon,
    zone: 'Asia/Seoul',
    otherApps: 'busy',
    ...(instances ? { instances } : {}),
  }),
);
const specMs = performance.now() - t;

t = performance.now();
const text = renderVevents(specs, { now, name: 'bench' });
const renderMs = performance.now() - t;

const objects = specs
  .slice(0, Math.min(specs.length, 2_000))
  .map((s) => ({ spec: s, ics: renderVevents([s], { now }) }));
t = performance.now();
let changed = 0;
for (const { spec, ics } of objects) {
  const r = patchIcs(
    ics,
    { component: 'VEVENT', uid: spec.uid, set: { SUMMARY: [line('SUMMARY', `${spec.summary}!`)] } },
    { now },
  );
  changed += r.changed.length;
}
const patchMs = performance.now() - t;

const tasks: Task[] = Array.from({ length: count }, (_, i) => ({
  task_id: `t${i}`,
  content: `Task ${i}`,
  status: i % 4 === 0 ? 'COMPLETED' : 'SCHEDULED',
  bookmark: i % 5 === 0,
  authorized: true,
  due_info: {
    due_date: `2026${String(6 + (i % 6)).padStart(2, '0')}15`,
    time_zone: 'Asia/Seoul',
    alarm_time: '0900',
  },
}));
t = performance.now();
for (const task of tasks) {
  const ics = vtodoText(taskToVtodo(task, { uid: task.task_id, now }));
  translateTodo(
    { uid: task.task_id, kind: 'todo', ics },
    {
      userTimeZone: 'Asia/Seoul',
      now,
      limits: defaultLimits,
    },
  );
}
const taskMs = performance.now() - t;

const rate = (n: number, ms: number): string => `${Math.round((n / ms) * 1000).toLocaleString('en')}/s`;
console.log(`Kakao events            ${count} → ${specs.length} VEVENT specs`);
console.log(`to specs                ${specMs.toFixed(0)} ms  (${rate(count, specMs)})`);
console.log(
  `render (ical-generator) ${renderMs.toFixed(0)} ms  (${rate(specs.length, renderMs)}), ${(text.length / 1e6).toFixed(1)} MB`,
);
console.log(
  `patch SUMMARY           ${patchMs.toFixed(0)} ms  (${rate(objects.length, patchMs)}), ${changed} properties changed`,
);
console.log(`task → VTODO → task     ${taskMs.toFixed(0)} ms  (${rate(tasks.length, taskMs)})`);
