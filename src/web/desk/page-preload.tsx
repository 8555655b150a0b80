import { createContext, useContext, type ReactNode } from 'react';

// A page may fetch the code of the page it leads to (the list → a call) without knowing
// that page: the app, which composes the routes, says how each one is loaded.

export type PageName = 'call-detail';

export type PagePreloader = (page: PageName) => void;

const PagePreloadContext = createContext<PagePreloader>(() => {});

export function PagePreloadProvider({
  preload,
  children,
}: {
  preload: PagePreloader;
  children: ReactNode;
}) {
  return <PagePreloadContext value={preload}>{children}</PagePreloadContext>;
}

/** Fetches a page's code ahead of the navigation that shows it; nothing where no app says how. */
export function usePagePreload(): PagePreloader {
  return useContext(PagePreloadContext);
}
