// Code a page does not need for its first paint (the form's checks, the page that comes
// next): fetched once that paint is on screen and the browser has a moment, so it does not
// compete with the paint for the network and the main thread.

/**
 * Runs `task` after the next frame, when the browser is idle (at the latest `timeout` ms
 * later); a plain timer where the browser cannot say (Safari, jsdom). Returns a cancel.
 */
export function afterPaintWhenIdle(task: () => void, timeout = 2_000): () => void {
  let cancelled = false;
  let cancelIdle = () => {};
  const run = () => {
    if (cancelled) return;
    if (typeof window.requestIdleCallback === 'function') {
      const id = window.requestIdleCallback(task, { timeout });
      cancelIdle = () => window.cancelIdleCallback(id);
    } else {
      const id = window.setTimeout(task, 200);
      cancelIdle = () => window.clearTimeout(id);
    }
  };
  if (typeof window.requestAnimationFrame === 'function') window.requestAnimationFrame(run);
  else run();
  return () => {
    cancelled = true;
    cancelIdle();
  };
}
