/**
 * A token bucket per key (the tenant): `perSecond` requests a second on average, bursts of
 * up to `perSecond`. Answers how long to wait when the bucket is empty.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perSecond: number) {}

  get enabled(): boolean {
    return this.perSecond > 0;
  }

  /** Requests the key may make at once right now (the bucket's whole tokens). */
  available(key: string, nowMs = performance.now()): number {
    if (!this.enabled) return Infinity;
    const bucket = this.buckets.get(key);
    if (!bucket) return this.perSecond;
    return Math.floor(
      Math.min(this.perSecond, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.perSecond),
    );
  }

  /** Takes one token; returns 0 when allowed, else the seconds to wait (at least 1). */
  take(key: string, nowMs = performance.now()): number {
    if (!this.enabled) return 0;
    const bucket = this.buckets.get(key) ?? { tokens: this.perSecond, at: nowMs };
    bucket.tokens = Math.min(
      this.perSecond,
      bucket.tokens + ((nowMs - bucket.at) / 1000) * this.perSecond,
    );
    bucket.at = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }
}
