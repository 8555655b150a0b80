import { DESK_HEADER } from '../desk/api-client.tsx';
import type { Desk } from './create-desk.tsx';

// The live feed beside the desk: the connection and what its events do to the desk's data
// load after the first paint (the desk polls until the feed is up, as it does whenever it
// is down).

export function startLive(
  desk: Pick<Desk, 'client' | 'queryClient' | 'events'>,
  apiBaseUrl = '/desk/api',
): () => void {
  let stopped = false;
  let stop = () => {};
  void Promise.all([
    import('../desk/live-feed.ts'),
    import('../calls/api/live-call-updates.ts'),
  ]).then(
    ([{ startLiveFeed }, { startLiveCallUpdates }]) => {
      if (stopped) return;
      const feed = startLiveFeed({ url: `${apiBaseUrl}/events`, headers: { ...DESK_HEADER } });
      const stopUpdates = startLiveCallUpdates({ feed, ...desk });
      stop = () => {
        stopUpdates();
        feed.stop();
      };
    },
    (error: unknown) => console.error('[switchboard] the live feed could not be loaded', error),
  );
  return () => {
    stopped = true;
    stop();
  };
}
