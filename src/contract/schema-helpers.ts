import { z } from './zod.ts';

// Response schemas are tolerant, as the real service asks of its clients: unknown keys are
// dropped, a missing key reads as null, and an enum value the client does not know is
// kept as its string (never rejected, never dropped).

/** A string that is one of `known` or any other value the service may add later. */
export type Lenient<T extends string> = T | (string & {});

export function lenientEnum<const T extends readonly [string, ...string[]]>(known: T) {
  return z
    .string()
    .meta({ description: `Known values: ${known.join(', ')}. Clients must keep unknown values.` })
    .transform((v) => v as Lenient<T[number]>);
}

/** A key that may be missing or null on the wire; always present (null) once parsed. */
export function nullable<S extends z.ZodType>(schema: S) {
  return schema.nullish().transform((v) => (v ?? null) as z.output<S> | null);
}

/** A list that may be missing or null on the wire; always an array once parsed. */
export function list<S extends z.ZodType>(item: S) {
  return z
    .array(item)
    .nullish()
    .transform((v) => (v ?? []) as z.output<S>[]);
}
