import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DESK_LOCALES } from '../locale.tsx';

// Every text of the desk is a message in the code, with its English words; each other
// language's catalogue has every one of them, no more, each a valid ICU message that takes
// the same values. The messages are read from the source by FormatJS's own extractor.

const dir = mkdtempSync(join(tmpdir(), 'switchboard-messages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function extracted(): Record<string, string> {
  const out = join(dir, 'en.json');
  execFileSync(
    process.execPath,
    [
      'node_modules/@formatjs/cli/bin/formatjs',
      'extract',
      'src/web/**/*.{ts,tsx}',
      '--ignore',
      'src/web/**/*.test.{ts,tsx}',
      '--ignore',
      'src/web/test/**',
      '--format',
      'simple',
      '--out-file',
      out,
    ],
    { stdio: 'pipe' },
  );
  return JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>;
}

/** The values a message takes, and for a select or plural its cases. */
function shape(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if ('value' in element && element.type !== TYPE.literal && typeof element.value === 'string') {
      into.add(`${element.type}:${element.value}`);
    }
    if (element.type === TYPE.select || element.type === TYPE.plural) {
      for (const [key, option] of Object.entries(element.options)) {
        into.add(`${element.value}=${key}`);
        shape(option.value, into);
      }
    }
    if (element.type === TYPE.tag) shape(element.children, into);
  }
  return into;
}

describe('the message catalogues', () => {
  const english = extracted();

  it('find the desk’s messages in the code', () => {
    expect(Object.keys(english).length).toBeGreaterThan(300);
    expect(english['call.heading']).toBe('Call {id}');
  });

  for (const locale of DESK_LOCALES.filter((l) => l !== 'en')) {
    describe(locale, () => {
      const catalogue = JSON.parse(
        readFileSync(`src/web/desk/messages/${locale}.json`, 'utf8'),
      ) as Record<string, string>;

      it('has every message, and none the code no longer has', () => {
        expect(Object.keys(english).filter((id) => !(id in catalogue))).toEqual([]);
        expect(Object.keys(catalogue).filter((id) => !(id in english))).toEqual([]);
      });

      it('takes the same values as the English in every message', () => {
        const differ = Object.keys(english)
          .filter((id) => id in catalogue)
          .filter((id) => {
            const a = [...shape(parse(english[id]!))].sort();
            const b = [...shape(parse(catalogue[id]!))].sort();
            return JSON.stringify(a) !== JSON.stringify(b);
          });
        expect(differ).toEqual([]);
      });
    });
  }
});
