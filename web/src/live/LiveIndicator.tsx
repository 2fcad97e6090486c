import type { LiveStatus } from './dashboard-socket.ts';

const LABELS: Record<LiveStatus, { text: string; dot: string; title: string }> = {
  connecting: { text: 'Connecting', dot: 'bg-slate-400', title: 'Opening the live connection' },
  live: { text: 'Live', dot: 'bg-emerald-500', title: 'Widgets refresh as new trades arrive' },
  polling: {
    text: 'Polling',
    dot: 'bg-amber-500',
    title: 'Live connection lost: refreshing on the dashboard interval',
  },
  offline: {
    text: 'Offline',
    dot: 'bg-red-500',
    title: 'Live connection lost and this dashboard does not poll',
  },
};

/** The dashboard's connection indicator. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  const { text, dot, title } = LABELS[status];
  return (
    <span
      className="inline-flex items-center gap-1.5 text-xs text-slate-600"
      title={title}
      data-testid="live-status"
    >
      <span className={`h-2 w-2 rounded-full ${dot}`} aria-hidden />
      {text}
    </span>
  );
}
