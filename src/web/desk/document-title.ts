import { useEffect } from 'react';

// The tab's title: the page's own ("Call 47 · Connected"), the desk's name, and in front a
// count of what waits for the agent ("(2) Calls · Switchboard"), so a new queued call is
// seen from another tab.

const DESK_NAME = 'Switchboard';
let pageTitle = '';
let badge = 0;

function apply() {
  if (typeof document === 'undefined') return;
  const parts = [pageTitle, DESK_NAME].filter(Boolean).join(' · ');
  document.title = badge > 0 ? `(${badge}) ${parts}` : parts;
}

/** Sets the page's part of the tab title while the page is shown. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    pageTitle = title;
    apply();
  }, [title]);
}

/** The count in front of the title; 0 shows none. */
export function setTitleBadge(count: number): void {
  badge = Math.max(0, Math.floor(count));
  apply();
}
