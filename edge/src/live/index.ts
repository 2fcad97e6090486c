export {
  DATA_VERSION_TTL_SECONDS,
  LATEST_DATABASE,
  LATEST_HASHES,
  hashKey,
  latestKey,
  type LatestFields,
  type LatestHash,
  SYMBOL_CHANNEL_PATTERN,
  dataVersionKey,
  symbolChannel,
  type SymbolTick,
} from './keys.ts';
export { liveReads, type LiveReads } from './reads.ts';
export { bumpDataVersions, readDataVersions } from './data-versions.ts';
