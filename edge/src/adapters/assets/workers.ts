import type { EmbedAsset, EmbedAssets } from '../../ports/embed-assets.ts';

/** The part of a Workers static-assets binding we use. */
export interface AssetsFetcher {
  fetch(request: Request): Promise<Response>;
}

/**
 * Workers: the embed build uploaded as static assets (wrangler.toml `[assets]`, `run_worker_first` so every request
 * reaches the app and its headers) and read through the binding.
 */
export class WorkersAssets implements EmbedAssets {
  constructor(private readonly binding: AssetsFetcher) {}

  async get(path: string): Promise<EmbedAsset | null> {
    const res = await this.binding.fetch(new Request(new URL(path, 'https://assets.invalid/')));
    if (res.status === 404) return null;
    if (!res.ok || !res.body) throw new Error(`static assets answered ${res.status} for ${path}`);
    return { body: res.body, contentType: res.headers.get('content-type') ?? 'application/octet-stream' };
  }
}
