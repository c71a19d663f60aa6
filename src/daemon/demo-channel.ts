import type { RunningEmulator } from '../emulator/server.js';
import { putChannelLink } from './channel-service.js';
import type { RunningDaemon } from './run.js';

// The optional channel part of `talkcal demo --channel`: the demo feed also kept as the public
// events of a demo Talk Channel, with a notification button, and followed for the demo user (who
// added the channel), so the operator side of the daemon can be tried without Kakao.

export const demoChannelId = '_demo';

export async function startDemoChannel(
  daemon: RunningDaemon,
  emulator: RunningEmulator,
  feedUrl: string,
  followerId: string,
  print: (line: string) => void,
): Promise<void> {
  emulator.admin.addChannel({ channelPublicId: demoChannelId, uuid: '@talkcal-demo' });
  emulator.admin.setRelation(demoChannelId, { userId: followerId, relation: 'ADDED' });
  const { userId } = await putChannelLink(daemon.ctx, demoChannelId, {
    id: 'demo-channel',
    name: 'Demo feed as public events',
    source: { type: 'ics', url: feedUrl },
    target: {
      buttons: { before: { title: '예약하기', webUrl: 'https://example.com/book' } },
      followers: [followerId],
    },
  });
  await daemon.ctx.queue.triggerAndWait(userId);
  const publicEvents = [...emulator.state.publicEvents.values()].filter(
    (p) => p.channelPublicId === demoChannelId,
  );
  const followed = emulator.state.users.get(followerId)?.follows.size ?? 0;
  print(
    `\nChannel ${demoChannelId} (synced as ${userId}): ${publicEvents.length} public event(s), ` +
      `${followed} followed for the demo user.\n` +
      `  talkcal channels show ${demoChannelId}   talkcal users show ${userId}`,
  );
}
