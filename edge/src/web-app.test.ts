import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { webAppHandler } from './web-app.ts';

const dist = mkdtempSync(join(tmpdir(), 'flowforge-web-'));
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>FlowForge</title>');
writeFileSync(join(dist, 'assets', 'index-CS29IMBE.js'), 'export const x = 1;');
writeFileSync(join(dist, 'favicon.ico'), 'icon');
afterAll(() => rmSync(dist, { recursive: true, force: true }));

const web = webAppHandler(dist);
const get = (path: string) => web(new Request(`http://127.0.0.1${path}`));

describe('webAppHandler', () => {
  it('lets browsers keep content-hashed assets for good', async () => {
    const res = await get('/assets/index-CS29IMBE.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('export const x = 1;');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('serves index.html for client routes, to be revalidated on every visit', async () => {
    for (const path of ['/', '/dashboards/0d9c', '/canvas/abc?node=n1']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('<title>FlowForge</title>');
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
    }
  });

  it('answers 404 for an asset that is not there, instead of index.html', async () => {
    const res = await get('/assets/index-OLDHASH.js');
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBeNull();
  });

  it('answers 404 for any other missing file, instead of index.html', async () => {
    for (const path of ['/robots.txt', '/apple-touch-icon.png']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toBe('Not found');
    }
  });

  it('does not mark unhashed files outside assets/ immutable', async () => {
    expect((await get('/favicon.ico')).headers.get('cache-control')).toBe('no-cache');
  });
});
