import type { Page } from 'playwright-core';

/** Canvas gestures shared by the browser tests: palette drops, handle-to-handle connections, node panels. */
export function canvasHelpers(page: Page) {
  /** Drags a palette entry onto the canvas and returns the new node's id. */
  async function dropNode(type: string, x: number, y: number): Promise<string> {
    const before = await page.locator(`[data-testid="node-${type}"]`).count();
    await page.dragAndDrop(`[data-testid="palette-${type}"]`, '.react-flow__pane', {
      targetPosition: { x, y },
    });
    const node = page.locator(`[data-testid="node-${type}"]`).nth(before);
    await node.waitFor();
    return (await node.getAttribute('data-node-id'))!;
  }

  async function handleCenter(selector: string): Promise<{ x: number; y: number }> {
    const box = (await page.locator(selector).boundingBox())!;
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  async function connect(sourceId: string, targetId: string, targetHandle?: string): Promise<void> {
    const from = await handleCenter(`.react-flow__node[data-id="${sourceId}"] .react-flow__handle.source`);
    const to = await handleCenter(
      `.react-flow__node[data-id="${targetId}"] .react-flow__handle.target${targetHandle ? `[data-handleid="${targetHandle}"]` : ''}`,
    );
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
    await page.mouse.move(to.x, to.y, { steps: 5 });
    await page.mouse.up();
  }

  /**
   * Waits until the canvas draws an edge from `sourceId` to `targetId` (React Flow labels each "Edge from … to …" and
   * draws it once both nodes are measured, a frame or two after the node); times out, failing the test, if it never does.
   */
  async function edgeDrawn(sourceId: string, targetId: string): Promise<void> {
    await page
      .locator(`.react-flow__edge[aria-label="Edge from ${sourceId} to ${targetId}"]`)
      .waitFor({ state: 'attached' });
  }

  async function openNode(id: string): Promise<void> {
    await page.locator(`.react-flow__node[data-id="${id}"]`).click();
    await page.getByTestId('config-panel').waitFor();
  }

  /** The grid's rows as objects keyed by header name. */
  async function gridRows(): Promise<Record<string, string>[]> {
    return page.evaluate(() => {
      const grid = document.querySelector('[data-testid="preview-panel"] [role="table"]')!;
      const headers = [...grid.querySelectorAll('[role="columnheader"]')].map(
        (h) => h.firstChild?.textContent?.replace(/ [▲▼]$/, '') ?? '',
      );
      return [...grid.querySelectorAll('[role="row"]')]
        .filter((r) => r.querySelector('[role="cell"]'))
        .map((r) =>
          Object.fromEntries(
            [...r.querySelectorAll('[role="cell"]')].map((c, i) => [headers[i]!, c.textContent ?? '']),
          ),
        );
    });
  }

  return { dropNode, connect, edgeDrawn, openNode, gridRows };
}
