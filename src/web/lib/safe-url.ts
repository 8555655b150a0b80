// URLs in call objects (recording_url, avatar_url, photo and video urls) come from the
// service and, through it, from whoever wrote them: only http and https may become links
// or image sources. Anything else (javascript:, data:, vbscript:) is shown as text.

export function safeHttpUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}
