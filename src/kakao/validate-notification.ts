// The documented rules of a public event's `notification_message` (custom buttons), as pure
// functions. The emulator answers -2 for every issue; channel links check their buttons with them
// before any call.

import { type KakaoButton, type KakaoNotificationMessage, publicButtonTitles } from './public-types.js';
import type { ValidationIssue } from './validate.js';

const reminderKeys = ['before_event_reminder', 'after_event_reminder'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An absolute http(s) URL; anything else makes Kakao fall back to the default button. */
export function isButtonUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value === '') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The button of one reminder. The table nests it as `{button: {title, link}}`; the edit sample
 * writes `{title, link}` directly. Both are read (docs/kakao-api-notes.md).
 */
export function buttonOf(reminder: Record<string, unknown>): unknown {
  return 'button' in reminder
    ? reminder['button']
    : 'title' in reminder || 'link' in reminder
      ? reminder
      : {};
}

function checkButton(button: unknown, field: string, issues: ValidationIssue[]): void {
  if (!isObject(button)) {
    issues.push({ field, message: 'must be an object' });
    return;
  }
  const { title, link } = button;
  if (title !== undefined && !(publicButtonTitles as readonly unknown[]).includes(title)) {
    issues.push({ field: `${field}.title`, message: `must be one of ${publicButtonTitles.join(', ')}` });
  }
  if (link === undefined) return;
  if (!isObject(link)) {
    issues.push({ field: `${field}.link`, message: 'must be an object' });
    return;
  }
  const urls = ['web_url', 'mobile_web_url'].filter((k) => link[k] !== undefined);
  if (urls.length === 0) issues.push({ field: `${field}.link`, message: 'needs web_url or mobile_web_url' });
  for (const k of urls) {
    if (typeof link[k] !== 'string')
      issues.push({ field: `${field}.link.${k}`, message: 'must be a string' });
  }
}

/** The request rules (Kakao answers -2 when they are broken). */
export function validateNotificationMessage(
  message: unknown,
  field = 'event.notification_message',
): ValidationIssue[] {
  if (!isObject(message)) return [{ field, message: 'must be an object' }];
  const issues: ValidationIssue[] = [];
  const display = message['display_custom_button'];
  if (display !== undefined && typeof display !== 'boolean') {
    issues.push({ field: `${field}.display_custom_button`, message: 'must be a boolean' });
  }
  for (const key of reminderKeys) {
    const reminder = message[key];
    if (reminder === undefined) continue;
    if (!isObject(reminder)) {
      issues.push({ field: `${field}.${key}`, message: 'must be an object' });
      continue;
    }
    checkButton(buttonOf(reminder), `${field}.${key}.button`, issues);
  }
  return issues;
}

/**
 * What Kakao keeps of a valid message: a button whose title has no link, or whose link has no
 * usable URL, is dropped (the default 공유하기 button applies, as documented).
 */
export function effectiveNotificationMessage(message: Record<string, unknown>): KakaoNotificationMessage {
  const out: KakaoNotificationMessage = {};
  if (typeof message['display_custom_button'] === 'boolean')
    out.display_custom_button = message['display_custom_button'];
  for (const key of reminderKeys) {
    const reminder = message[key];
    if (!isObject(reminder)) continue;
    const button = buttonOf(reminder) as KakaoButton;
    const link = button.link;
    const usable = link && (isButtonUrl(link.web_url) || isButtonUrl(link.mobile_web_url));
    if (button.title === undefined || !usable) {
      out[key] = {};
      continue;
    }
    out[key] = {
      button: {
        title: button.title,
        link: {
          ...(isButtonUrl(link.web_url) ? { web_url: link.web_url } : {}),
          ...(isButtonUrl(link.mobile_web_url) ? { mobile_web_url: link.mobile_web_url } : {}),
        },
      },
    };
  }
  return out;
}
