import type { DesiredEvent, DesiredItem } from '../../model/desired.js';
import { EmptySideError, MassDeletionError } from '../errors.js';
import { type CreateIntent, type ItemMapping, mappedKakaoIds, unitMappings } from '../store/mapping.js';
import { planTask } from '../tasks/plan-task.js';
import { planTaskIntents } from '../tasks/task-intents.js';
import { taskCompleted } from '../tasks/task-verify.js';
import { KakaoIndex } from '../verification/kakao-index.js';
import { hashOf } from './hash.js';
import { eventIntentsOf, planEventItem, unitContext } from './plan-item.js';
import type { Plan, PlanInput, PlannedItem } from './plan-types.js';
import { desiredItemHash, normTime, splitInstanceId } from './projection.js';

// The planner: pure. Mapping + source snapshot (or delta) + this run's Kakao reads → a Plan.
// Modelled on vdirsyncer's status-based three-way sync, adapted to Kakao: items map to one or more
// Kakao units, Kakao is only seen through 31-day windows, and other apps' events are opaque.

/** Rebuilds the desired item of an unchanged source item from what the mapping recorded. */
function desiredFromMapping(m: ItemMapping): DesiredItem | null {
  const task = m.units['task'];
  if (task?.task) {
    return {
      kind: 'task',
      sourceKey: m.sourceKey,
      task: task.task,
      completed: task.completed ?? false,
      warnings: [],
    };
  }
  const units: DesiredEvent[] = [];
  for (const [unitKey, u] of Object.entries(m.units)) {
    if (!u.event) return null;
    units.push({ unitKey, event: u.event, instances: u.instances ?? [] });
  }
  return { kind: 'event', sourceKey: m.sourceKey, units, warnings: [], exactTimes: m.exactTimes ?? {} };
}

export function planLink(input: PlanInput): Plan {
  const { state, source, link } = input;
  const index = new KakaoIndex(input.kakao);
  const plan: Plan = {
    linkId: link.id,
    items: [],
    settledIntents: [],
    conflicts: [],
    warnings: [],
    quarantined: [],
    driftSeen: false,
  };

  const taken = new Set<string>(input.foreignIds ?? []);
  for (const id of mappedKakaoIds(state)) taken.add(id);

  const { readIntents, blocked } = eventIntentsOf(input, index);
  const taskIntents = planTaskIntents(input, taken, plan.settledIntents);

  // Identity conflicts (two items with one UID, as vdirsyncer's IdentConflict): the first wins.
  const desired = new Map<string, DesiredItem>();
  for (const item of source.items) {
    if (desired.has(item.sourceKey)) {
      plan.warnings.push(`${item.sourceKey}: two source items share this UID; only the first is synced`);
      continue;
    }
    desired.set(item.sourceKey, item);
  }

  const keys = new Set<string>([...desired.keys(), ...state.items.keys()]);
  const gone = new Set(source.deletedKeys);
  const unreadable = new Set(source.unreadable ?? []);
  for (const sourceKey of [...keys].sort()) {
    const m = state.items.get(sourceKey);
    let want: DesiredItem | null | undefined = desired.get(sourceKey);
    if (want === undefined) {
      if (!m) continue;
      want =
        (source.full || gone.has(sourceKey)) && !unreadable.has(sourceKey) ? null : desiredFromMapping(m);
      if (want === undefined) continue;
    }
    const ref = source.refs?.[sourceKey] ?? (m?.href && m.etag ? { href: m.href, etag: m.etag } : undefined);
    if (!input.force && m?.quarantine && want && desiredItemHash(want) === m.quarantine.sourceHash) {
      plan.quarantined.push(sourceKey);
      continue;
    }
    if (m?.conflict && !m.conflict.resolution && want) {
      plan.conflicts.push({ sourceKey, unitKey: '*', detail: m.conflict.detail });
      continue;
    }
    const planned: PlannedItem = { sourceKey, actions: [], desired: want, ...(ref ? { ref } : {}) };
    if (want?.kind === 'task' || (!want && m?.units['task'])) {
      if (taskIntents.blocked.has(sourceKey)) {
        plan.warnings.push(`${sourceKey}: an interrupted task create is not reconciled yet`);
        plan.waiting = [...(plan.waiting ?? []), sourceKey];
        continue;
      }
      const orphan = taskIntents.orphans.find((o) => o.intent.sourceKey === sourceKey && !o.adopted);
      const mappedId = m?.units['task']?.kakaoId;
      const mappedListed = mappedId && input.kakao.tasks?.items.some((t) => t.task_id === mappedId);
      if (orphan && want?.kind === 'task' && !mappedListed) {
        // The create the intent announced did happen: that task is the item's task.
        orphan.adopted = true;
        planned.actions = [
          {
            sourceKey,
            unitKey: 'task',
            op: 'task-adopt',
            kakaoId: orphan.task.task_id,
            intentId: orphan.intent.id,
            sent: orphan.sent,
            sentAsWanted: hashOf(orphan.sent) === hashOf(want.task),
            kakaoCompleted: taskCompleted(orphan.task),
            task: want.task,
            completed: want.completed,
            desiredHash: hashOf({ task: want.task, completed: want.completed }),
          },
        ];
      } else {
        const out = planTask(sourceKey, want?.kind === 'task' ? want : null, m, input, ref);
        planned.actions = out.actions;
        if (out.drift) plan.driftSeen = true;
        if (out.conflict) {
          plan.conflicts.push(out.conflict);
          planned.conflict = out.conflict.detail;
        }
        if (out.warning) plan.warnings.push(out.warning);
        if (out.precondition) planned.preconditions = [out.precondition];
      }
    } else {
      const out = planEventItem(unitContext(input, index, taken, blocked, m, ref), sourceKey, want, m);
      if (out.defer) {
        plan.deferred = [...(plan.deferred ?? []), sourceKey];
        plan.warnings.push(
          `${sourceKey}: deleted in the source; waits for a read of its Talk Calendar window`,
        );
        continue;
      }
      if (out.waiting) {
        // Not planned at all (nor recorded) until a later run settles the interrupted create.
        plan.waiting = [...(plan.waiting ?? []), sourceKey];
        plan.warnings.push(...out.warnings);
        continue;
      }
      planned.actions = out.actions;
      plan.conflicts.push(...out.conflicts);
      const last = out.conflicts.at(-1);
      if (last) planned.conflict = last.detail;
      plan.warnings.push(...out.warnings);
      if (out.drift) plan.driftSeen = true;
      if (out.preconditions.length > 0) planned.preconditions = out.preconditions;
    }
    const unchangedRecord =
      m && want && desiredItemHash(want) === m.sourceHash && ref?.etag === m.etag && !m.conflict?.resolution;
    const newConflict = planned.conflict !== undefined && !m?.conflict;
    if (planned.actions.length > 0 || !m || !want || !unchangedRecord || newConflict)
      plan.items.push(planned);
  }

  // A create that may have happened before a crash: adopted above if the item still wants it,
  // otherwise the event it made is deleted here.
  const adopted = new Set(
    plan.items.flatMap((i) => i.actions.flatMap((a) => (a.op === 'adopt' ? [a.kakaoId] : []))),
  );
  for (const intent of readIntents) {
    plan.settledIntents.push(intent.id);
    const orphan = findIntentEvent(index, intent, (id) => taken.has(id) || adopted.has(id));
    if (!orphan) continue;
    taken.add(orphan);
    plan.items.push({
      sourceKey: intent.sourceKey,
      desired: desired.get(intent.sourceKey) ?? null,
      actions: [{ op: 'delete-orphan', kakaoId: orphan, recurring: intent.recurring, intentId: intent.id }],
    });
  }

  for (const o of taskIntents.orphans) {
    if (o.adopted) continue;
    plan.items.push({
      sourceKey: o.intent.sourceKey,
      desired: desired.get(o.intent.sourceKey) ?? null,
      actions: [
        { op: 'delete-orphan', kakaoId: o.task.task_id, recurring: false, intentId: o.intent.id, task: true },
      ],
    });
  }

  guardMassDeletion(plan, input);
  return plan;
}

/**
 * The event an interrupted create made: ours, unmapped, same title and start; failing that (the
 * user edited it meanwhile) same start and end.
 */
function findIntentEvent(index: KakaoIndex, intent: CreateIntent, excluded: (id: string) => boolean) {
  const end = normTime(intent.end);
  let loose: string | undefined;
  for (const b of index.startingAt(intent.start)) {
    const masterId = splitInstanceId(b.id!).masterId;
    if (excluded(masterId)) continue;
    if ((b.title ?? '') === intent.title) return masterId;
    if (normTime(b.time.end_at) === end) loose ??= masterId;
  }
  return loose;
}

function guardMassDeletion(plan: Plan, input: PlanInput): void {
  if (input.force) return;
  const mapped = input.state.items.size;
  const deletions = plan.items.filter(
    (i) => i.desired === null && i.actions.some((a) => a.op === 'delete' || a.op === 'task-delete'),
  ).length;
  guardEmptySide(plan, input, deletions);
  const { share, minItems } = input.massDelete;
  if (deletions >= Math.max(1, minItems) && deletions > share * mapped) {
    throw new MassDeletionError(input.link.id, deletions, mapped);
  }
}

/** A side that lists nothing at all while the link has items stops the link, however few they are. */
function guardEmptySide(plan: Plan, input: PlanInput, kakaoDeletions: number): void {
  const mapped = input.state.items.size;
  if (mapped === 0) return;
  const { source, kakao } = input;
  const sourceEmpty = source.full && source.items.length === 0 && (source.unreadable?.length ?? 0) === 0;
  if (sourceEmpty && kakaoDeletions > 0) throw new EmptySideError(input.link.id, 'source', mapped);
  const sourceDeletions = plan.items.some((i) => i.actions.some((a) => a.op === 'source-delete'));
  // Only a listing of the whole horizon shows that the calendar as a whole is empty.
  const covered =
    kakao.windows.some((w) => w.from <= input.horizon.from) &&
    kakao.windows.some((w) => w.to >= input.horizon.to);
  if (!sourceDeletions || !covered) return;
  const listed = new Set(kakao.events.map((e) => splitInstanceId(e.id ?? '').masterId));
  const ours = [...unitMappings(input.state)].filter((u) => u.kakaoId && !u.task);
  if (ours.length > 0 && !ours.some((u) => listed.has(u.kakaoId!))) {
    throw new EmptySideError(input.link.id, 'Talk Calendar', mapped);
  }
}
