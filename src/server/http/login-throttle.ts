// Failed logins (wrong Basic credentials) are throttled by client address and by tenant,
// so that guessing a token costs an attacker time. Each key has a budget of failures that
// refills over a minute; once an address or a tenant has spent it, logins from that
// address or to that tenant are answered 429 with Retry-After before their credentials are
// even compared (a right guess then cannot be told from a wrong one).
//
// One attacker must not lock a tenant's own integrations out: an address that logged in
// successfully to a tenant within the last hour is not held back by that tenant's budget
// (only by its own address's).

const MINUTE_MS = 60_000;
const KNOWN_GOOD_MS = 60 * MINUTE_MS;
/** Keys kept before the ones whose budget is whole again are dropped. */
const PRUNE_ABOVE = 10_000;

interface Bucket {
  /** Failures left. */
  left: number;
  at: number;
}

class FailureBudget {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly perMinute: number) {}

  private level(key: string, now: number): Bucket | undefined {
    const bucket = this.buckets.get(key);
    if (!bucket) return undefined;
    bucket.left = Math.min(
      this.perMinute,
      bucket.left + ((now - bucket.at) / MINUTE_MS) * this.perMinute,
    );
    bucket.at = now;
    return bucket;
  }

  /** Seconds until the key may try again (0: it may now). */
  wait(key: string, now: number): number {
    const bucket = this.level(key, now);
    if (!bucket || bucket.left >= 1) return 0;
    return Math.max(1, Math.ceil(((1 - bucket.left) / this.perMinute) * 60));
  }

  spend(key: string, now: number): void {
    const bucket = this.level(key, now) ?? { left: this.perMinute, at: now };
    bucket.left = Math.max(0, bucket.left - 1);
    this.buckets.set(key, bucket);
    if (this.buckets.size > PRUNE_ABOVE) this.prune(now);
  }

  private prune(now: number): void {
    for (const [key] of this.buckets) {
      if (this.level(key, now)!.left >= this.perMinute) this.buckets.delete(key);
    }
  }
}

export interface LoginThrottleOptions {
  /** Failed logins a minute one client address may make; 0 turns the limit off. */
  perAddress: number;
  /** Failed logins a minute to one tenant, from all addresses together; 0 turns it off. */
  perTenant: number;
}

export class LoginThrottle {
  private readonly addresses: FailureBudget | undefined;
  private readonly tenants: FailureBudget | undefined;
  /** `tenant address` → when it last logged in. */
  private readonly knownGood = new Map<string, number>();

  constructor(
    options: LoginThrottleOptions,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.addresses = options.perAddress > 0 ? new FailureBudget(options.perAddress) : undefined;
    this.tenants = options.perTenant > 0 ? new FailureBudget(options.perTenant) : undefined;
  }

  /** Seconds this address must wait before it may log in to this tenant (0: it may now). */
  wait(address: string, tenant: string | undefined): number {
    const now = this.clock();
    const byAddress = this.addresses?.wait(address, now) ?? 0;
    if (tenant === undefined || this.isKnownGood(address, tenant, now)) return byAddress;
    return Math.max(byAddress, this.tenants?.wait(tenant, now) ?? 0);
  }

  failed(address: string, tenant: string | undefined): void {
    const now = this.clock();
    this.addresses?.spend(address, now);
    if (tenant !== undefined) this.tenants?.spend(tenant, now);
  }

  succeeded(address: string, tenant: string): void {
    if (!this.tenants) return;
    const now = this.clock();
    const key = `${tenant} ${address}`;
    // Refreshed at most once a minute: a busy integration does not rewrite the map on every call.
    const last = this.knownGood.get(key);
    if (last !== undefined && now - last < MINUTE_MS) return;
    this.knownGood.delete(key);
    this.knownGood.set(key, now);
    if (this.knownGood.size > PRUNE_ABOVE) {
      for (const [k, at] of this.knownGood) {
        if (now - at < KNOWN_GOOD_MS) break; // insertion order: the rest are newer
        this.knownGood.delete(k);
      }
    }
  }

  private isKnownGood(address: string, tenant: string, now: number): boolean {
    const at = this.knownGood.get(`${tenant} ${address}`);
    return at !== undefined && now - at < KNOWN_GOOD_MS;
  }
}
