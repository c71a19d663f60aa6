// Kakao's wire format: POST bodies are application/x-www-form-urlencoded with nested objects
// (`event=`, `task=`) as JSON strings; GET/DELETE carry the same parameters in the query string.

export type ParamValue = string | number | boolean | object | null | undefined;
export type Params = Record<string, ParamValue>;

export const formContentType = 'application/x-www-form-urlencoded;charset=utf-8';

/** Undefined and null top-level values are left out; objects and arrays become JSON. */
export function toSearchParams(params: Params | undefined): URLSearchParams {
  const out = new URLSearchParams();
  if (!params) return out;
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    out.append(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return out;
}

export function encodeForm(params: Params | undefined): string {
  return toSearchParams(params).toString();
}
