import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The desk's modules import each other without a circle, type imports included (the lint
// rule import-x/no-cycle does not see those), and only the entry point and the tests that
// render the whole desk import app/.

const WEB = 'src/web';
const IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function graph(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of sources(WEB)) {
    const text = readFileSync(file, 'utf8');
    edges.set(
      normalize(file),
      [...text.matchAll(IMPORT)].map((m) => normalize(join(dirname(file), m[1]!))),
    );
  }
  return edges;
}

/** Every circle of imports, as the files on it (Tarjan's strongly connected components). */
function circles(edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.map((f) => relative(WEB, f)).sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("the desk's imports", () => {
  const edges = graph();

  it('finds the files it checks', () => {
    expect(edges.size).toBeGreaterThan(40);
    expect(edges.get(normalize(`${WEB}/main.tsx`))).toContain(
      normalize(`${WEB}/app/create-desk.tsx`),
    );
  });

  it('form no circle, type imports included', () => {
    expect(circles(edges)).toEqual([]);
  });

  it('finds a circle where there is one', () => {
    const a = normalize('src/web/a.ts');
    const b = normalize('src/web/b.ts');
    expect(
      circles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([['a.ts', 'b.ts']]);
  });

  it('reach app/ only from the entry point and the whole-desk test helpers', () => {
    const app = normalize(`${WEB}/app/`);
    const importers = [...edges]
      .filter(([file, to]) => !file.startsWith(app) && to.some((t) => t.startsWith(app)))
      .map(([file]) => relative(WEB, file))
      .sort();
    expect(importers).toEqual(['main.tsx', normalize('test/render-desk.tsx')]);
  });
});
