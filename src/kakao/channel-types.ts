// Wire models of the Kakao Talk Channel REST API (talk-channel-rest-api.txt): relationship checks
// (single and multi-user) and customer files. Shared by the client and the emulator.

export type ChannelRelationKind = 'ADDED' | 'BLOCKED' | 'NONE';

/** One channel of a relationship answer. */
export interface ChannelRelation {
  /** Kakao Talk Channel ID for search purposes (e.g. "@플러스친구"). */
  channel_uuid: string;
  channel_public_id: string;
  relation: ChannelRelationKind;
  /** RFC 3339 UTC; only when ADDED. */
  created_at?: string;
  /** RFC 3339 UTC; only when ADDED or BLOCKED. */
  updated_at?: string;
}

/** "Check Kakao Talk Channel relationship" (one user), and one entry of the multi-user answer. */
export interface ChannelRelationResult {
  user_id: number | string;
  channels?: ChannelRelation[];
}

/** Value types a customer file schema may declare. */
export type CustomerFieldType = 'string' | 'number';

/** Body of "Register customer file". */
export interface CustomerFileCreate {
  channel_public_id: string;
  file_name: string;
  /** Key → value type. The documented Korean keys, or new keys of type number. */
  schema: Record<string, CustomerFieldType>;
}

/** One file of "View customer file". */
export interface CustomerFileInfo {
  file_id: number;
  file_name: string;
  /** using, deleting or failed (the sample writes USING). */
  status: string;
  /** "yyyy-MM-dd HH:mm:ss". */
  update_at: string;
  /** The schema as a JSON string (as the sample shows it). */
  schema?: string;
}

export interface CustomerFileList {
  results: CustomerFileInfo[];
  empty_slot: number;
  using_slot: number;
}

export type CustomerUserType = 'app' | 'phone';

/** One user of "Add user": the id and values for the file's schema. */
export interface CustomerFileUser {
  id: string;
  field: Record<string, string | number>;
}

/** Answer of "Add user": fewer successes than requests when some users could not be added. */
export interface CustomerFileAddResult {
  file_id: number;
  request_count: number;
  success_count: number;
}

/** Keys the documentation lists for customer information (only Korean keys are supported). */
export const customerFileKeys = [
  '생년월일',
  '국가',
  '지역',
  '성별',
  '연령',
  '구매금액',
  '포인트',
  '가입일',
  '최근 구매일',
  '응모일',
] as const;

/** Keys a new (custom) schema key may not take. */
export const reservedCustomerKeys = ['앱유저아이디', '전화번호'] as const;

/** Documented limits of the Talk Channel API, enforced by the emulator and batched by the client. */
export const channelLimits = {
  /** "You can check up to 200 users" (multi-user relationship check). */
  relationUsersMax: 200,
  /** "A schema can contain up to 30 items." */
  schemaItemsMax: 30,
  /** "no more than 2,000 users at a time" (Add user); applied to Delete user too (undocumented). */
  customerFileUsersMax: 2000,
  /** Customer file slots of one channel (the view sample: 27 empty + 3 used). */
  customerFileSlots: 30,
  /** Not documented; the emulator's decision (docs/kakao-api-notes.md). */
  customerFileNameMax: 50,
} as const;
