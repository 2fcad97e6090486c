import { useMarketTicks } from './use-market-ticks.ts';

const price = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A strip of the latest prices: shows at a glance that the market simulator (or the live feed) is flowing. */
export function LiveTicker() {
  const { quotes, connected } = useMarketTicks();
  const sorted = [...quotes.values()].sort((a, b) => a.symbol.localeCompare(b.symbol));
  return (
    <div
      className="flex min-w-0 items-center gap-3 overflow-hidden text-xs"
      data-testid="live-ticker"
      aria-live="off"
    >
      <span
        className={`h-2 w-2 shrink-0 rounded-full ${connected ? 'bg-emerald-400' : 'bg-slate-500'}`}
        title={connected ? 'Live' : 'Reconnecting…'}
      />
      {sorted.length === 0 ? (
        <span className="text-slate-400">{connected ? 'Waiting for trades…' : 'Market feed offline'}</span>
      ) : null}
      {sorted.map((q) => (
        <span key={q.symbol} className="whitespace-nowrap tabular-nums" data-testid={`tick-${q.symbol}`}>
          <span className="text-slate-400">{q.symbol}</span>{' '}
          <span
            className={
              q.change === 'up' ? 'text-emerald-400' : q.change === 'down' ? 'text-red-400' : 'text-slate-200'
            }
          >
            {price.format(q.price)}
          </span>
        </span>
      ))}
    </div>
  );
}
