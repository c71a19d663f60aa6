import type { DesiredEvent, InstanceOperation } from '../../model/desired.js';
import { instanceOpKey, type UnitMapping } from '../store/mapping.js';
import { hashOf } from './hash.js';
import { seriesHasInstance } from './series-change.js';

// The exceptions (instance operations) of a recurring unit: which ones Kakao does not hold yet,
// and which of those it holds stay valid once the unit is rewritten. An operation is keyed by its
// instance, action and scope; its content (an override's new title or time) is compared with
// what the mapping recorded, so a changed override is sent again. Pure.

/** What was sent for each applied key (the mapping's record of the unit's operations). */
function sentContent(m: UnitMapping): Map<string, string> {
  return new Map((m.instances ?? []).map((op) => [instanceOpKey(op), hashOf(op)]));
}

/** The wanted operations Kakao does not hold yet: never applied, or applied with other content. */
export function pendingInstances(m: UnitMapping | undefined, want: DesiredEvent): InstanceOperation[] {
  const done = new Set(m?.instancesApplied ?? []);
  const sent = m ? sentContent(m) : new Map<string, string>();
  return want.instances.filter((op) => {
    const key = instanceOpKey(op);
    if (!done.has(key)) return true;
    const was = sent.get(key);
    return was !== undefined && was !== hashOf(op);
  });
}

/**
 * Keys of the applied operations that still hold once `want` is written over the unit: those whose
 * content changed are to be sent again, and after a change of the rule's end those of instances
 * the series no longer has are gone with them (Kakao drops them).
 */
export function appliedAfterWrite(m: UnitMapping, want: DesiredEvent): string[] {
  const changed = new Set(
    pendingInstances(m, want)
      .map(instanceOpKey)
      .filter((k) => m.instancesApplied.includes(k)),
  );
  const ruleChanged = (m.event?.rrule ?? '') !== (want.event.rrule ?? '');
  return m.instancesApplied.filter(
    (k) => !changed.has(k) && (!ruleChanged || seriesHasInstance(want.event, instanceStartOf(k))),
  );
}

/** The instance start of an operation key (instanceStart:action:scope). */
export const instanceStartOf = (key: string): string => key.split(':')[0] ?? '';
