import { DESK_HEADER } from '../desk/api-client.tsx';
import { firstFeedPosition, onFeedPosition } from '../desk/live-status.ts';
import type { Desk } from './create-desk.tsx';

// The live feed beside the desk: the connection and what its events do to the desk's data
// load after the first paint (the desk polls until the feed is up, as it does whenever it
// is down). It goes through the desk's own fetch, so a framed desk's session token goes
// with it where its cookie cannot.

const FIRST_DATA_WAIT_MS = 3_000;

function firstData(): Promise<void> {
  if (firstFeedPosition() !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, FIRST_DATA_WAIT_MS);
    const stop = onFeedPosition(done);
    function done() {
      clearTimeout(timer);
      stop();
      resolve();
    }
  });
}

export function startLive(
  desk: Pick<Desk, 'client' | 'queryClient' | 'events' | 'auth'>,
  apiBaseUrl = '/desk/api',
): () => void {
  let stopped = false;
  let stop = () => {};
  void Promise.all([
    import('../desk/live-feed.ts'),
    import('../calls/api/live-call-updates.ts'),
  ]).then(
    async ([{ startLiveFeed }, { startLiveCallUpdates }]) => {
      // The stream opens from where the desk's first data stood, once it has some (a page
      // without any, or one that is slow to answer, does not hold it back for long).
      await firstData();
      if (stopped) return;
      const feed = startLiveFeed({
        url: `${apiBaseUrl}/events`,
        headers: { ...DESK_HEADER },
        fetch: desk.auth.fetch,
        lastEventId: firstFeedPosition(),
      });
      const stopUpdates = startLiveCallUpdates({ feed, ...desk });
      // Signed in (the session answers again): the stream the server refused may open now.
      const stopWatching = desk.queryClient.getQueryCache().subscribe((event) => {
        if (event.type !== 'updated' || event.query.queryKey[0] !== 'session') return;
        if (event.query.state.status === 'success' && feed.getState() === 'unavailable') {
          feed.reconnect();
        }
      });
      stop = () => {
        stopWatching();
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
