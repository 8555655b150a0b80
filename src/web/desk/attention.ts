import { useSyncExternalStore } from 'react';
import { setTitleBadge } from './document-title.ts';

// What waits for the agent's eye: calls announced (a new queued call) that the agent has
// not looked at yet. Their number is the badge in the tab's title; opening the list or
// the call takes them off.

const unseen = new Set<number>();
const listeners = new Set<() => void>();
let snapshot: readonly number[] = [];

function changed() {
  snapshot = [...unseen];
  setTitleBadge(unseen.size);
  for (const listener of [...listeners]) listener();
}

export const attention = {
  add(id: number) {
    if (unseen.has(id)) return;
    unseen.add(id);
    changed();
  },
  seen(ids: 'all' | readonly number[]) {
    const before = unseen.size;
    if (ids === 'all') unseen.clear();
    else for (const id of ids) unseen.delete(id);
    if (unseen.size !== before) changed();
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
  get: () => snapshot,
};

/** The ids waiting for the agent's eye. */
export function useUnseenCalls(): readonly number[] {
  return useSyncExternalStore(attention.subscribe, attention.get, attention.get);
}
