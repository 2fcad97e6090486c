import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { EmbedAsset, EmbedAssets } from '../../ports/embed-assets.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

/** Node: the embed build read from a folder; paths never leave it (`..` and absolute paths find nothing). */
export class DirectoryAssets implements EmbedAssets {
  private readonly root: string;

  constructor(root: string) {
    this.root = normalize(root + sep);
  }

  async get(path: string): Promise<EmbedAsset | null> {
    const file = normalize(join(this.root, path));
    if (!file.startsWith(this.root)) return null;
    try {
      const body = new Uint8Array(await readFile(file));
      return { body, contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return null;
      throw err;
    }
  }
}
