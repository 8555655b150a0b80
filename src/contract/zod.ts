import { z } from 'zod';

// zod as every schema of this project gets it: the one module that imports it for its
// values, so this runs before any schema is built (a module's imports run before it does).
//
// jitless: zod would otherwise probe once whether it may compile parsers with
// `new Function`. Under the desk's CSP (no 'unsafe-eval') the probe fails quietly but the
// browser still reports a violation on every page, which buries real ones; the interpreted
// parsers are what would run there anyway. The server uses the same setting, so that both
// sides run the same code.
z.config({ jitless: true });

export { z };
