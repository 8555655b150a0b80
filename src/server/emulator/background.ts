import type { Services } from '../services.ts';

/**
 * What the emulator does by itself, once a second: scheduled calls whose time has come
 * become queued (reads promote them too, so nothing waits on this timer), and with
 * autoplay on, live calls move on at a realistic pace.
 */
export function startBackgroundWork(services: Services): () => void {
  const tick = () => {
    for (const tenant of services.tenants.all()) {
      try {
        services.promoteDueCalls(tenant);
        services.autoplayDueCalls(tenant);
      } catch {
        // A tick that fails (the database closing under it) is retried on the next one.
      }
    }
  };
  const timer = setInterval(tick, 1000);
  timer.unref();
  return () => clearInterval(timer);
}
