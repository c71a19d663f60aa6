// The documented request rules of the Talk Channel customer-file API as pure functions. The
// emulator answers -2 for every issue found here; the client batches so it never breaks a limit.
import {
  type CustomerFieldType,
  channelLimits,
  customerFileKeys,
  reservedCustomerKeys,
} from './channel-types.js';
import type { ValidationIssue } from './validate.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const fieldTypes: readonly unknown[] = ['string', 'number'];

/** "Register customer file": file_name and schema. */
export function validateCustomerFileCreate(fileName: unknown, schema: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (typeof fileName !== 'string' || fileName.trim() === '') {
    issues.push({ field: 'file_name', message: 'is required' });
  } else if (fileName.length > channelLimits.customerFileNameMax) {
    issues.push({
      field: 'file_name',
      message: `must be at most ${channelLimits.customerFileNameMax} characters`,
    });
  }
  if (!isObject(schema)) return [...issues, { field: 'schema', message: 'must be a JSON object' }];
  const entries = Object.entries(schema);
  if (entries.length === 0) issues.push({ field: 'schema', message: 'must define at least one item' });
  if (entries.length > channelLimits.schemaItemsMax) {
    issues.push({ field: 'schema', message: `must hold at most ${channelLimits.schemaItemsMax} items` });
  }
  for (const [key, type] of entries) {
    if (!fieldTypes.includes(type)) {
      issues.push({ field: `schema.${key}`, message: 'must be "string" or "number"' });
      continue;
    }
    if ((reservedCustomerKeys as readonly string[]).includes(key)) {
      issues.push({ field: `schema.${key}`, message: 'is reserved and cannot be a new key' });
    } else if (!(customerFileKeys as readonly string[]).includes(key) && type !== 'number') {
      issues.push({ field: `schema.${key}`, message: 'a new key takes only number values' });
    }
  }
  return issues;
}

/** "Add user": user_type and users against the file's schema. */
export function validateCustomerUsers(
  userType: unknown,
  users: unknown,
  schema: Record<string, CustomerFieldType>,
): ValidationIssue[] {
  const issues = validateUserType(userType);
  if (!Array.isArray(users) || users.length === 0) {
    return [...issues, { field: 'users', message: 'must be a non-empty array' }];
  }
  if (users.length > channelLimits.customerFileUsersMax) {
    issues.push({ field: 'users', message: `must hold at most ${channelLimits.customerFileUsersMax} users` });
  }
  users.forEach((user, i) => {
    const field = `users[${i}]`;
    if (!isObject(user)) {
      issues.push({ field, message: 'must be an object' });
      return;
    }
    if (typeof user['id'] !== 'string' || user['id'] === '') {
      issues.push({ field: `${field}.id`, message: 'must be a non-empty string' });
    }
    const values = user['field'];
    if (!isObject(values)) {
      issues.push({ field: `${field}.field`, message: 'must be an object' });
      return;
    }
    for (const [key, value] of Object.entries(values)) {
      const type = schema[key];
      if (type === undefined)
        issues.push({ field: `${field}.field.${key}`, message: "is not in the file's schema" });
      else if (typeof value !== type)
        issues.push({ field: `${field}.field.${key}`, message: `must be a ${type}` });
    }
  });
  return issues;
}

/** "Delete user": user_type and user_ids. */
export function validateCustomerUserIds(userType: unknown, userIds: unknown): ValidationIssue[] {
  const issues = validateUserType(userType);
  if (!Array.isArray(userIds) || userIds.length === 0) {
    return [...issues, { field: 'user_ids', message: 'must be a non-empty array' }];
  }
  if (userIds.length > channelLimits.customerFileUsersMax) {
    issues.push({
      field: 'user_ids',
      message: `must hold at most ${channelLimits.customerFileUsersMax} ids`,
    });
  }
  if (userIds.some((id) => typeof id !== 'string' || id === '')) {
    issues.push({ field: 'user_ids', message: 'must hold non-empty strings' });
  }
  return issues;
}

function validateUserType(userType: unknown): ValidationIssue[] {
  return userType === 'app' || userType === 'phone'
    ? []
    : [{ field: 'user_type', message: 'must be app or phone' }];
}
