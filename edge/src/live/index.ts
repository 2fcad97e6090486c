export {
  DATA_VERSION_TTL_SECONDS,
  SYMBOL_CHANNEL_PATTERN,
  dataVersionKey,
  symbolChannel,
  type SymbolTick,
} from './keys.ts';
export { liveReads, type LiveReads } from './reads.ts';
export { bumpDataVersions, readDataVersions } from './data-versions.ts';
