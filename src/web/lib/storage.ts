// Storage that never throws: inside a CRM's iframe with partitioned or blocked storage,
// touching localStorage or sessionStorage can throw a SecurityError. The desk then keeps
// working, it just forgets across reloads.

type Area = 'local' | 'session';

const memory = new Map<string, string>();

function area(which: Area): Storage | undefined {
  try {
    const storage = which === 'local' ? window.localStorage : window.sessionStorage;
    return storage ?? undefined;
  } catch {
    return undefined;
  }
}

export function readStored(which: Area, key: string): string | null {
  try {
    const storage = area(which);
    if (storage) return storage.getItem(key);
  } catch {
    // Storage refused: fall through to the in-memory copy.
  }
  return memory.get(`${which}:${key}`) ?? null;
}

export function writeStored(which: Area, key: string, value: string | null): void {
  if (value === null) memory.delete(`${which}:${key}`);
  else memory.set(`${which}:${key}`, value);
  try {
    const storage = area(which);
    if (!storage) return;
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, value);
  } catch {
    // Quota exceeded or storage blocked: the in-memory copy is all we have.
  }
}

export function readStoredJson<T>(
  which: Area,
  key: string,
  guard: (value: unknown) => value is T,
): T | null {
  const text = readStored(which, key);
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return guard(value) ? value : null;
  } catch {
    return null;
  }
}

export function writeStoredJson(which: Area, key: string, value: unknown): void {
  writeStored(which, key, value === null ? null : JSON.stringify(value));
}
