import type { EmbedWidgetOut, GlobalFilters, WidgetData } from '@flowforge/edge/api-types';
import { useCallback, useEffect, useRef, useState } from 'react';
import { filtersSearch, readApiResponse, WIDGET_ROW_LIMIT } from '../api/client.ts';
import {
  EMBED_MESSAGE_SOURCE,
  isEmbedMessage,
  tokenExpiry,
  type FromFrameBody,
  type ToFrame,
} from '../api/embed-protocol.ts';
import { ChartFrame, type DrawnChart } from '../charts/ChartFrame.tsx';
import { ChartSvg } from './ChartSvg.tsx';
import { problemOf, type EmbedLocation, type EmbedProblem } from './location.ts';

const framed = window.parent !== window;

/** The framing page's origin where the browser tells it (Chromium, Safari); otherwise the SDK's first message does. */
const ancestorOrigin = (): string | null => window.location.ancestorOrigins?.[0] ?? null;

// The token goes in a header, never in a URL a log could keep; no cookies, ever.
const embedFetch = (path: string, token: string, signal: AbortSignal) =>
  fetch(path, { headers: { authorization: `Bearer ${token}` }, credentials: 'omit', signal });

async function embedGet<T>(path: string, token: string, signal: AbortSignal): Promise<T> {
  return readApiResponse<T>(await embedFetch(path, token, signal));
}

/** The chart's SVG as the edge drew it; a refusal is the API's JSON error, as for the data. */
async function embedSvg(path: string, token: string, signal: AbortSignal): Promise<string> {
  const res = await embedFetch(path, token, signal);
  if (!res.ok) return readApiResponse<never>(res);
  return res.text();
}

const STATE_TITLES: Record<EmbedProblem['code'], string> = {
  expired: 'Expired',
  revoked: 'Revoked',
  not_allowed_here: 'Not allowed here',
  out_of_scope: 'Not allowed',
  filter_locked: 'Filter not allowed',
  rate_limited: 'Busy',
  failed: 'Unavailable',
};

/**
 * One widget, chromeless, sized to its frame. The token comes from the URL fragment or the SDK's messages (which also
 * renew it before it expires); the data refreshes on the widget's interval while the token is valid, and every refusal
 * (expired, revoked, not allowed on this site, a filter the token locks) is a state of its own, reported to the SDK.
 */
export function EmbedPage({ widgetId, theme, token: initialToken }: EmbedLocation) {
  const [token, setToken] = useState(initialToken);
  const [filters, setFilters] = useState<GlobalFilters>({});
  const [meta, setMeta] = useState<EmbedWidgetOut | null>(null);
  const [data, setData] = useState<WidgetData | null>(null);
  const [problem, setProblem] = useState<EmbedProblem | null>(null);
  const parentOrigin = useRef<string | null>(ancestorOrigin());
  const readySent = useRef(false);
  // A renewed token must not draw the chart again: the SVG's loader reads the current one.
  const tokenNow = useRef(token);
  tokenNow.current = token;

  const post = useCallback((message: FromFrameBody) => {
    if (!framed) return;
    // Nothing secret goes up: before the host is known, any origin may hear "ready" or "expired".
    window.parent.postMessage({ source: EMBED_MESSAGE_SOURCE, ...message }, parentOrigin.current ?? '*');
  }, []);

  const fail = useCallback(
    (next: EmbedProblem) => {
      setProblem(next);
      if (next.code === 'expired') post({ type: 'expired' });
      else post({ type: 'error', code: next.code, message: next.message });
    },
    [post],
  );

  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if (event.source !== window.parent || !isEmbedMessage(event.data)) return;
      parentOrigin.current ??= event.origin;
      const message = event.data as ToFrame;
      if (message.type === 'token' && typeof message.token === 'string') {
        setToken(message.token);
        setProblem((p) => (p?.code === 'expired' ? null : p));
      } else if (message.type === 'filters') {
        setFilters(message.filters ?? {});
        setProblem((p) => (p?.code === 'filter_locked' ? null : p));
      }
    };
    window.addEventListener('message', onMessage);
    post({ type: 'hello' });
    return () => window.removeEventListener('message', onMessage);
  }, [post]);

  // No new token by the time this one expires: say so rather than keep showing data as if it were live.
  useEffect(() => {
    const exp = token ? tokenExpiry(token) : null;
    if (exp === null) return;
    const timer = setTimeout(
      () => fail({ code: 'expired', message: 'This embed’s access has expired.' }),
      Math.max(0, exp * 1000 - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [token, fail]);

  useEffect(() => {
    if (!token || meta) return;
    const abort = new AbortController();
    embedGet<EmbedWidgetOut>(`/api/v1/embed/widgets/${encodeURIComponent(widgetId)}`, token, abort.signal)
      .then((widget) => {
        const host = parentOrigin.current;
        if (framed && host !== null && !widget.allowed_origins.includes(host)) {
          fail({ code: 'not_allowed_here', message: `This widget may not be shown on ${host}.` });
          return;
        }
        setMeta(widget);
      })
      .catch((error: unknown) => {
        if (!abort.signal.aborted) fail(problemOf(error));
      });
    return () => abort.abort();
  }, [token, meta, widgetId, fail]);

  const blocked = problem !== null && problem.code !== 'rate_limited';
  useEffect(() => {
    if (!token || !meta || blocked) return;
    const abort = new AbortController();
    const load = () =>
      embedGet<WidgetData>(
        `/api/v1/embed/widgets/${encodeURIComponent(widgetId)}/data${filtersSearch(filters, {
          limit: String(WIDGET_ROW_LIMIT),
        })}`,
        token,
        abort.signal,
      )
        .then((rows) => {
          setData(rows);
          setProblem(null);
        })
        .catch((error: unknown) => {
          if (!abort.signal.aborted) fail(problemOf(error));
        });
    void load();
    const every = meta.refresh_seconds * 1000;
    const timer = every > 0 ? setInterval(() => void load(), every) : undefined;
    return () => {
      abort.abort();
      clearInterval(timer);
    };
  }, [token, meta, filters, widgetId, blocked, fail]);

  const onRendered = useCallback(() => {
    if (readySent.current) return;
    readySent.current = true;
    post({ type: 'ready' });
  }, [post]);

  // Charts are drawn at the edge for this frame (same filters as the rows): the page ships no chart library.
  const loadSvg = useCallback(
    (size: { width: number; height: number }, signal: AbortSignal) =>
      embedSvg(
        `/api/v1/embed/widgets/${encodeURIComponent(widgetId)}/chart.svg${filtersSearch(filters, {
          limit: String(WIDGET_ROW_LIMIT),
          width: String(size.width),
          height: String(size.height),
          theme,
        })}`,
        tokenNow.current ?? '',
        signal,
      ),
    [widgetId, filters, theme],
  );
  const svgFailed = useCallback((error: unknown) => fail(problemOf(error)), [fail]);
  const asOf = data?.as_of ?? '';
  const drawSvg = useCallback(
    (chart: DrawnChart) => (
      <ChartSvg
        load={loadSvg}
        version={`${asOf} ${JSON.stringify(filters)}`}
        option={chart.option}
        onRendered={chart.onRendered}
        onError={svgFailed}
      />
    ),
    [loadSvg, asOf, filters, svgFailed],
  );

  const type = data?.node?.type ?? (meta?.widget_type === 'table' ? 'table_view' : (meta?.widget_type ?? ''));
  return (
    <div
      className="relative h-full w-full overflow-hidden bg-white text-slate-900 dark:bg-slate-950 dark:text-slate-100"
      data-testid="embed-root"
      data-theme={theme}
    >
      {problem && (problem.code !== 'rate_limited' || !data) ? (
        <div
          className="flex h-full flex-col items-center justify-center gap-1 p-4 text-center"
          role="alert"
          data-testid="embed-state"
          data-state={problem.code}
        >
          <p className="text-base font-semibold">{STATE_TITLES[problem.code]}</p>
          <p className="text-sm text-slate-500 dark:text-slate-400">{problem.message}</p>
        </div>
      ) : !token ? (
        <div
          className="flex h-full items-center justify-center text-sm text-slate-500"
          data-testid="embed-waiting"
        >
          Waiting for access…
        </div>
      ) : (
        <ChartFrame
          type={type}
          config={data?.node?.config ?? meta?.config ?? {}}
          data={data ?? undefined}
          onRendered={onRendered}
          theme={theme}
          draw={drawSvg}
        />
      )}
    </div>
  );
}
