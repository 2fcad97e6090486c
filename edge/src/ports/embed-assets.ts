/** One file of the built embed page or SDK. */
export interface EmbedAsset {
  body: ReadableStream | Uint8Array<ArrayBuffer>;
  contentType: string;
}

/**
 * The embed page and SDK as built by `npm run build:embed -w web` (`web/dist-embed`), by path inside that folder
 * (`index.html`, `sdk.js`, `assets/…`). Node reads the folder; a Worker reads its static-assets binding.
 */
export interface EmbedAssets {
  /** null when the build has no such file. */
  get(path: string): Promise<EmbedAsset | null>;
}
