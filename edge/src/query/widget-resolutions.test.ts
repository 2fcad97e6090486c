import { describe, expect, it } from 'vitest';
import type { Dashboard, MetadataStore, Widget, Workflow } from '../ports/metadata-store.ts';
import { widgetChangeTenant, WidgetResolutions } from './widget-resolutions.ts';

/** A store with one widget on a dashboard whose workflow version can be bumped; reads are counted. */
function fakeStore() {
  const state = { reads: 0, version: 1, widgetGone: false, hold: false };
  let release: (() => void) | undefined;
  const store = {
    async getWidget(_tenant: string, id: string) {
      state.reads++;
      if (state.widgetGone) return null;
      return { id, dashboardId: 'd', workflowId: 'wf', outputNodeId: 'n' } as Widget;
    },
    async getDashboard() {
      return { id: 'd', filters: {} } as unknown as Dashboard;
    },
    async getWorkflow() {
      const version = state.version;
      // A read that the test holds until it says so: the race between a slow read and a change.
      if (release === undefined && state.hold) await new Promise<void>((r) => (release = r));
      return { id: 'wf', version, graph: {} } as unknown as Workflow;
    },
  } as unknown as MetadataStore;
  return Object.assign(state, { store, release: () => release?.() });
}

describe('WidgetResolutions', () => {
  it('answers from this process for freshMs, then reads the store again', async () => {
    let now = 0;
    const widgets = new WidgetResolutions(5_000, () => now);
    const s = fakeStore();
    expect((await widgets.get(s.store, 't', 'w'))?.workflow.version).toBe(1);
    s.version = 2;
    now = 4_999;
    expect((await widgets.get(s.store, 't', 'w'))?.workflow.version).toBe(1);
    expect(s.reads).toBe(1);
    now = 5_000;
    expect((await widgets.get(s.store, 't', 'w'))?.workflow.version).toBe(2);
    expect(s.reads).toBe(2);
  });

  it("drops every entry of a tenant on forget, and only that tenant's", async () => {
    const widgets = new WidgetResolutions(60_000, () => 0);
    const s = fakeStore();
    await widgets.get(s.store, 't', 'w');
    await widgets.get(s.store, 'u', 'w');
    s.version = 2;
    widgets.forget('t');
    expect((await widgets.get(s.store, 't', 'w'))?.workflow.version).toBe(2);
    expect((await widgets.get(s.store, 'u', 'w'))?.workflow.version).toBe(1);
    expect(s.reads).toBe(3);
  });

  it('never keeps a read that started before a change (the stamp), but answers it', async () => {
    const widgets = new WidgetResolutions(60_000, () => 0);
    const s = fakeStore();
    s.hold = true;
    const slow = widgets.get(s.store, 't', 'w');
    await new Promise((r) => setTimeout(r, 5));
    s.version = 2;
    widgets.forget('t');
    s.release();
    expect((await slow)?.workflow.version).toBe(1);
    s.hold = false;
    expect((await widgets.get(s.store, 't', 'w'))?.workflow.version).toBe(2);
  });

  it('does not cache a missing widget', async () => {
    const widgets = new WidgetResolutions(60_000, () => 0);
    const s = fakeStore();
    s.widgetGone = true;
    expect(await widgets.get(s.store, 't', 'w')).toBeNull();
    s.widgetGone = false;
    expect(await widgets.get(s.store, 't', 'w')).not.toBeNull();
    expect(s.reads).toBe(2);
  });

  it('reads the tenant from widget, dashboard and workflow change channels only', () => {
    expect(widgetChangeTenant('flowforge:acme:widget:w1')).toBe('acme');
    expect(widgetChangeTenant('flowforge:acme:dashboard:d1')).toBe('acme');
    expect(widgetChangeTenant('flowforge:acme:workflow:f1')).toBe('acme');
    expect(widgetChangeTenant('flowforge:acme:acl')).toBeUndefined();
    expect(widgetChangeTenant('flowforge:market:symbol:AAPL')).toBeUndefined();
  });
});
