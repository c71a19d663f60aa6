import type { EventBrief, EventCreate, EventDetail, EventUpdate, TaskCreate } from '../../src/kakao/types.js';
import { compactTime, splitInstanceId } from '../../src/sync/events/projection.js';
import type { KakaoPort } from '../../src/sync/kakao-port.js';

// An in-memory KakaoPort for benchmarks: events by id, list by window (a recurring event shows as
// its first instance), and a count of every call by method. Not a Kakao emulator: no validation.

export class MemoryKakao implements KakaoPort {
  readonly events = new Map<string, EventCreate>();
  readonly tasks = new Map<string, TaskCreate>();
  readonly calls: Record<string, number> = {};
  private next = 1;

  private count(method: string) {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
  }

  resetCalls(): void {
    for (const k of Object.keys(this.calls)) delete this.calls[k];
  }

  async createEvent(_calendarId: string, event: EventCreate): Promise<string> {
    this.count('createEvent');
    const id = `e${this.next++}`;
    this.events.set(id, structuredClone(event));
    return id;
  }

  async updateEvent(eventId: string, update: EventUpdate): Promise<void> {
    this.count('updateEvent');
    const { masterId, instanceStart } = splitInstanceId(eventId);
    const e = this.events.get(masterId);
    if (!e || (instanceStart && instanceStart !== compactTime(e.time.start_at))) return;
    if (update.title !== undefined) e.title = update.title;
    if (update.time) e.time = update.time;
  }

  async deleteEvent(eventId: string): Promise<void> {
    this.count('deleteEvent');
    const { masterId, instanceStart } = splitInstanceId(eventId);
    const e = this.events.get(masterId);
    if (e && (!instanceStart || instanceStart === compactTime(e.time.start_at))) this.events.delete(masterId);
  }

  async getEvent(eventId: string): Promise<EventDetail> {
    this.count('getEvent');
    const { masterId } = splitInstanceId(eventId);
    const e = this.events.get(masterId);
    if (!e) throw new Error(`no event ${eventId}`);
    return { ...e, id: masterId, type: 'USER', calendar_id: 'primary', is_host: true };
  }

  async listEventsWindow(_calendarId: string, from: string, to: string): Promise<EventBrief[]> {
    this.count('listEventsWindow');
    const f = Date.parse(from);
    const t = Date.parse(to);
    const out: EventBrief[] = [];
    for (const [id, e] of this.events) {
      const s = Date.parse(e.time.start_at);
      if (s < f || s >= t) continue;
      const recurring = Boolean(e.rrule);
      out.push({
        id: recurring ? `${id}_${compactTime(e.time.start_at)}` : id,
        title: e.title,
        type: 'USER',
        is_host: true,
        time: e.time,
        is_recur_event: recurring,
        ...(e.color ? { color: e.color } : {}),
      });
    }
    return out;
  }

  async createTask(task: TaskCreate): Promise<string> {
    this.count('createTask');
    const id = `t${this.next++}`;
    this.tasks.set(id, task);
    return id;
  }

  async updateTask(taskId: string, task: TaskCreate): Promise<void> {
    this.count('updateTask');
    this.tasks.set(taskId, task);
  }

  async completeTask(): Promise<void> {
    this.count('completeTask');
  }

  async deleteTask(taskId: string): Promise<void> {
    this.count('deleteTask');
    this.tasks.delete(taskId);
  }
}
