// Wire models of the Kakao Talk Calendar REST API, field for field as documented in
// talk-calendar-rest-api.txt. Shared by the client, the emulator, the translators and the publisher.
// The models live in one module per concept; this file gathers them so imports of types.js keep working.

export * from './calendar-types.js';
export * from './channel-types.js';
export * from './event-types.js';
export * from './oauth-types.js';
export * from './public-types.js';
export * from './task-types.js';
export * from './wire-constants.js';
