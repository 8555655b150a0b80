import { DESK_HEADER } from '../desk/api-client.tsx';
import type { Desk } from './create-desk.tsx';

// The live feed beside the desk: the connection and what its events do to the desk's data
// load after the first paint (the desk polls until the feed is up, as it does whenever it
// is down). It goes through the desk's own fetch, so a framed desk's session token goes
// with it where its cookie cannot.

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
    ([{ startLiveFeed }, { startLiveCallUpdates }]) => {
      if (stopped) return;
      const feed = startLiveFeed({
        url: `${apiBaseUrl}/events`,
        headers: { ...DESK_HEADER },
        fetch: desk.auth.fetch,
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
