import { z } from 'zod';
import { NODE_TYPES } from './nodes/index.ts';
import { edgeSchema, graphSchema } from './schema.ts';

/**
 * JSON Schema of a graph document with every node type's `data` spelled out (a discriminated union on `type`).
 * Generated from the same zod schemas the engine validates with; `flowforge schema` prints it.
 */
export function graphJsonSchema(): Record<string, unknown> {
  const nodes = [...NODE_TYPES.values()].map((definition) =>
    z.looseObject({
      id: z.string().min(1),
      type: z.literal(definition.type),
      position: z.object({ x: z.number(), y: z.number() }).optional(),
      data: definition.config,
    }),
  );
  const graph = z.object({
    version: graphSchema.shape.version,
    nodes: z.array(
      z.discriminatedUnion('type', nodes as [(typeof nodes)[number], ...(typeof nodes)[number][]]),
    ),
    edges: z.array(edgeSchema),
  });
  return z.toJSONSchema(graph, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
