import { SYMBOL_CHANNEL_PATTERN, type SymbolTick } from '@flowforge/edge/live';
import type { MetadataStore } from '@flowforge/edge/ports/metadata-store';
import type { WebSocket } from 'ws';
import type { FanoutBus } from './bus.ts';
import { affectedWidgets, loadLiveDashboard, type LiveDashboard } from './dashboard-index.ts';

export interface HubOptions {
  bus: FanoutBus;
  /** Metadata of the tenant's dashboards, widgets and workflows (read-only use). */
  store: () => MetadataStore;
  /** One invalidation per dashboard per this many ms (plan §15: 500 ms). */
  coalesceMs?: number;
  heartbeatMs?: number;
  /** A client with more than this many bytes unsent is dropped instead of buffered. */
  maxBufferedBytes?: number;
}

interface Client {
  socket: WebSocket;
  /** Embed clients see only their token's widgets; null = all of the dashboard's. */
  widgets: Set<string> | null;
  alive: boolean;
}

interface Room {
  key: string;
  tenant: string;
  dashboardId: string;
  clients: Set<Client>;
  dashboard: LiveDashboard | undefined;
  pending: Set<string>;
  lastSent: number;
  timer: NodeJS.Timeout | undefined;
  unsubscribe: (() => void)[];
  loading: Promise<void> | undefined;
}

export interface HubStats {
  dashboards: number;
  clients: number;
  invalidations: number;
  dropped: number;
}

/**
 * The fan-out core, the same in the data plane service (Redis) and in `npm start` (in-memory bus): symbol ticks →
 * affected widgets of every dashboard with a connected client → ONE `{"type":"invalidate","widget_ids":[…]}` per
 * dashboard per 500 ms (sent at once when the dashboard was quiet, else at the end of its 500 ms), heartbeats, and slow
 * clients dropped rather than buffered. Dashboards reload when the edge announces a change to them or their workflows.
 */
export class FanoutHub {
  readonly #rooms = new Map<string, Room>();
  readonly #o: Required<Omit<HubOptions, 'bus' | 'store'>> & Pick<HubOptions, 'bus' | 'store'>;
  readonly #offTicks: () => void;
  readonly #heartbeat: NodeJS.Timeout;
  readonly stats: HubStats = { dashboards: 0, clients: 0, invalidations: 0, dropped: 0 };

  constructor(options: HubOptions) {
    this.#o = { coalesceMs: 500, heartbeatMs: 15_000, maxBufferedBytes: 256 * 1024, ...options };
    this.#offTicks = this.#o.bus.subscribe(SYMBOL_CHANNEL_PATTERN, (message) => this.#onTick(message));
    this.#heartbeat = setInterval(() => this.#beat(), this.#o.heartbeatMs);
  }

  /** Registers an authenticated socket on a dashboard the caller's tenant owns (checked by the caller). */
  async join(
    tenant: string,
    dashboardId: string,
    socket: WebSocket,
    widgets: Set<string> | null,
  ): Promise<void> {
    const room = this.#room(tenant, dashboardId);
    const client: Client = { socket, widgets, alive: true };
    room.clients.add(client);
    this.stats.clients++;
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('close', () => this.#leave(room, client));
    socket.on('error', () => socket.terminate());
    await room.loading;
    this.#send(client, { type: 'ready', dashboard_id: dashboardId });
  }

  #room(tenant: string, dashboardId: string): Room {
    const key = `${tenant}\u0000${dashboardId}`;
    let room = this.#rooms.get(key);
    if (room) return room;
    room = {
      key,
      tenant,
      dashboardId,
      clients: new Set(),
      dashboard: undefined,
      pending: new Set(),
      lastSent: 0,
      timer: undefined,
      unsubscribe: [],
      loading: undefined,
    };
    this.#rooms.set(key, room);
    this.stats.dashboards = this.#rooms.size;
    const reload = () => {
      room.loading = this.#load(room);
    };
    room.unsubscribe.push(this.#o.bus.subscribe(`flowforge:${tenant}:dashboard:${dashboardId}`, reload));
    reload();
    return room;
  }

  async #load(room: Room): Promise<void> {
    try {
      room.dashboard = (await loadLiveDashboard(this.#o.store(), room.tenant, room.dashboardId)) ?? undefined;
    } catch (error) {
      console.error(`fanout: loading dashboard ${room.dashboardId} failed`, error);
      return;
    }
    // Follow the workflows this dashboard's widgets run: editing one changes what its widgets read.
    for (const off of room.unsubscribe.splice(1)) off();
    const workflows = new Set(room.dashboard?.widgets.map((w) => w.workflowId));
    for (const wid of workflows)
      room.unsubscribe.push(
        this.#o.bus.subscribe(`flowforge:${room.tenant}:workflow:${wid}`, () => {
          room.loading = this.#load(room);
        }),
      );
  }

  #leave(room: Room, client: Client): void {
    if (!room.clients.delete(client)) return;
    this.stats.clients--;
    if (room.clients.size > 0) return;
    clearTimeout(room.timer);
    for (const off of room.unsubscribe) off();
    this.#rooms.delete(room.key);
    this.stats.dashboards = this.#rooms.size;
  }

  #onTick(message: string): void {
    let tick: SymbolTick;
    try {
      tick = JSON.parse(message) as SymbolTick;
    } catch {
      return;
    }
    if (typeof tick.symbol !== 'string' || !Array.isArray(tick.tables)) return;
    for (const room of this.#rooms.values()) {
      if (!room.dashboard) continue;
      const ids = affectedWidgets(room.dashboard, tick.symbol, tick.tables);
      if (ids.length === 0) continue;
      for (const id of ids) room.pending.add(id);
      this.#schedule(room);
    }
  }

  #schedule(room: Room): void {
    if (room.timer) return;
    const wait = Math.max(0, room.lastSent + this.#o.coalesceMs - Date.now());
    room.timer = setTimeout(() => this.#flush(room), wait);
  }

  #flush(room: Room): void {
    room.timer = undefined;
    if (room.pending.size === 0) return;
    const ids = [...room.pending].sort();
    room.pending.clear();
    room.lastSent = Date.now();
    this.stats.invalidations++;
    const all = JSON.stringify({ type: 'invalidate', widget_ids: ids });
    for (const client of room.clients) {
      if (client.widgets === null) this.#send(client, all);
      else {
        const mine = ids.filter((id) => client.widgets!.has(id));
        if (mine.length > 0) this.#send(client, { type: 'invalidate', widget_ids: mine });
      }
    }
  }

  #send(client: Client, message: string | object): void {
    const { socket } = client;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.#o.maxBufferedBytes) {
      // A client that does not read is dropped: it reconnects and re-fetches, the server never buffers without bound.
      this.stats.dropped++;
      socket.terminate();
      return;
    }
    socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  #beat(): void {
    for (const room of this.#rooms.values())
      for (const client of room.clients) {
        if (!client.alive) {
          client.socket.terminate();
          continue;
        }
        client.alive = false;
        client.socket.ping();
      }
  }

  close(): void {
    clearInterval(this.#heartbeat);
    this.#offTicks();
    for (const room of [...this.#rooms.values()])
      for (const client of [...room.clients]) {
        client.socket.terminate();
        this.#leave(room, client);
      }
  }
}
