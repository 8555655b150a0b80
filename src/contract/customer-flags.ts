import { z } from './zod.ts';

export const CUSTOMER_FLAG_KEYS = ['verified_customer', 'bad_actor', 'repeat_customer'] as const;
export type CustomerFlagKey = (typeof CUSTOMER_FLAG_KEYS)[number];

/** The seed spells this key `repeat_customers` in its PATCH example; both are accepted. */
export const CUSTOMER_FLAG_ALIASES: Readonly<Record<string, CustomerFlagKey>> = {
  repeat_customers: 'repeat_customer',
};

export const CustomerFlagsSchema = z.object({
  verified_customer: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  bad_actor: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  repeat_customer: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
});
export type CustomerFlags = z.output<typeof CustomerFlagsSchema>;

export const CustomerFlagsPatchSchema = z.object({
  verified_customer: z.boolean().optional(),
  bad_actor: z.boolean().optional(),
  repeat_customer: z.boolean().optional(),
});
export type CustomerFlagsPatch = z.input<typeof CustomerFlagsPatchSchema>;
