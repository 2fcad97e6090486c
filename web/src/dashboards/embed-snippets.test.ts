import { describe, expect, it } from 'vitest';
import { embedSnippets } from './embed-snippets.ts';

describe('embedSnippets', () => {
  const widget = '0b9c6f3e-1d2a-4c5b-8e7f-9a0b1c2d3e4f';
  const key = 'ff_live_secret';
  const s = embedSnippets('https://ff.example', widget, key);

  it('puts the API key only in the server-side snippets', () => {
    expect(s.curl).toContain(`X-API-Key: ${key}`);
    expect(s.node).toContain(key);
    expect(s.sdk).not.toContain(key);
    expect(s.iframe).not.toContain(key);
  });

  it('mints a token for this widget only', () => {
    expect(s.curl).toContain(`'{"widget_ids":["${widget}"],"ttl_seconds":600}'`);
    expect(s.node).toContain(`widget_ids: ['${widget}']`);
  });

  it('loads the SDK from FlowForge and frames /embed/<widget> with the token in the fragment', () => {
    expect(s.sdk).toContain("import { FlowForge } from 'https://ff.example/embed/sdk.js'");
    expect(s.sdk).toContain(`widgetId: '${widget}'`);
    expect(s.iframe).toContain(`src="https://ff.example/embed/${widget}?theme=light#token=TOKEN"`);
  });
});
