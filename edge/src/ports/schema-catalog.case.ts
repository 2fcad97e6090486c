import { describe, expect, it } from 'vitest';
import type { CatalogSource } from './schema-catalog.ts';

/** Every discovery source reports raw_trades with the same normalized types. */
export function catalogSourceContract(name: string, make: () => CatalogSource, database = 'flowforge'): void {
  describe(`CatalogSource contract: ${name}`, () => {
    it(`discovers ${database}.raw_trades with normalized column types`, async () => {
      const source = make();
      const tables = await source.discover();
      const trades = tables.find((t) => t.database === database && t.table === 'raw_trades');
      expect(trades?.store).toBe(source.store);
      const types = Object.fromEntries(trades!.columns.map((c) => [c.name, c.type]));
      expect(types).toMatchObject({
        trade_id: 'string',
        event_time: 'datetime',
        symbol: 'string',
        quantity: 'decimal(18,4)',
        price: 'decimal(18,6)',
        notional: 'decimal(18,4)',
      });
      expect(trades!.columns.map((c) => c.name).slice(0, 3)).toEqual(['trade_id', 'event_time', 'symbol']);
    });
  });
}
