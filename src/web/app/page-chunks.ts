import type { ReactPromise } from 'react';
import type { PageName } from '../desk/page-preload.tsx';

// Pages whose code is fetched ahead of the navigation that shows them (routes.tsx renders
// them; the pages that lead to them prefetch).

/**
 * A chunk loaded once and marked when it is there (the convention React's `use` reads), so a
 * page rendered after it has loaded renders at once, without suspending.
 */
function chunk<T>(load: () => Promise<T>): () => ReactPromise<T> {
  let loaded: ReactPromise<T> | undefined;
  return () => {
    if (!loaded) {
      const promise = load();
      promise.then(
        (value) => {
          loaded = Object.assign(promise, { status: 'fulfilled' as const, value });
        },
        () => {
          // Not there (offline, a new deploy): the next render asks again.
          if (loaded === promise) loaded = undefined;
        },
      );
      loaded = promise;
    }
    return loaded;
  };
}

/** The call page: where Create call and a row of the list lead. */
export const loadCallDetail = chunk(() => import('../calls/call-detail/call-detail-page.tsx'));

/** What the kit's usePagePreload() does in this desk: fetch the named page's code. */
export function preloadPage(page: PageName): void {
  switch (page) {
    case 'call-detail':
      void loadCallDetail();
      return;
  }
}
