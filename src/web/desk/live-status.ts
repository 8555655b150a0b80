// How the desk's live feed stands, apart from the feed itself: the query options (poll only
// while it is down) and the banner read it on every page, while the connection's code
// loads after the first paint.

import { FEED_POSITION_HEADER } from '../../contract/live.ts';

export type LiveState =
  /** Not up yet (the desk's first connection): the desk polls, and says nothing. */
  | 'connecting'
  /** Up: changes arrive as they happen, and nothing polls. */
  | 'live'
  /** It was up and is not now: the desk polls and says it is reconnecting. */
  | 'reconnecting'
  /** The server refuses it (no session, no feed): the desk polls as it always did. */
  | 'unavailable';

let current: LiveState = 'connecting';
const listeners = new Set<() => void>();

/** How the desk's feed stands now. */
export function liveFeedState(): LiveState {
  return current;
}

/** Whether changes reach the desk as they happen (then nothing needs to poll). */
export function isLiveFeedUp(): boolean {
  return current === 'live';
}

/** Hears of each change of the feed's state; returns the function that stops. */
export function onLiveFeedState(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function setLiveFeedState(next: LiveState): void {
  if (next === current) return;
  current = next;
  for (const listener of [...listeners]) listener();
}

// Where the feed stood when the desk first read its data (the desk API says so on every
// answer): the stream opens from there, so nothing that changed after that read is missed
// and nothing needs reading again.
let firstPosition: string | null = null;
const positionListeners = new Set<() => void>();

/** The feed position of the desk's oldest data, or null before any answer said. */
export function firstFeedPosition(): string | null {
  return firstPosition;
}

export function onFeedPosition(listener: () => void): () => void {
  positionListeners.add(listener);
  return () => {
    positionListeners.delete(listener);
  };
}

/** `fetch` that notes the feed position of the first answer that carries one. */
export function trackFeedPosition(base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (firstPosition === null) {
      const position = response.headers.get(FEED_POSITION_HEADER);
      if (position && /^[\w-]{1,60}$/.test(position)) {
        firstPosition = position;
        for (const listener of [...positionListeners]) listener();
      }
    }
    return response;
  };
}
