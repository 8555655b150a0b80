import { describe, expect, it } from 'vitest';
import { safeHttpUrl } from './safe-url.ts';

describe('safeHttpUrl', () => {
  it('lets only http and https through', () => {
    expect(safeHttpUrl('https://example.com/rec.mp3')).toBe('https://example.com/rec.mp3');
    expect(safeHttpUrl('http://example.com/a')).toBe('http://example.com/a');
    expect(safeHttpUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeHttpUrl(' JavaScript:alert(1)')).toBeUndefined();
    expect(safeHttpUrl('data:text/html,<script>alert(1)</script>')).toBeUndefined();
    expect(safeHttpUrl('/relative')).toBeUndefined();
    expect(safeHttpUrl(null)).toBeUndefined();
  });
});
