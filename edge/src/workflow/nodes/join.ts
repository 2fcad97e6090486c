import type { Columns } from '../columns.ts';
import { z } from 'zod';
import type { JoinType, Rel } from '../ir.ts';
import { columnName } from '../schema.ts';
import { comparable, type Column } from '../types.ts';
import { defineNode, expectOk, Problems, type Checked } from './node.ts';

const keyPair = z.object({ left: columnName, right: columnName });

const config = z.object({
  join_type: z.enum(['INNER', 'LEFT', 'RIGHT', 'FULL']).default('INNER'),
  /** Rows match when every pair is equal (AND); graph version 1 had one pair as `left_key`/`right_key`. */
  keys: z.array(keyPair).min(1, 'Choose the keys to join on'),
});
type Config = z.infer<typeof config>;

interface JoinPlan {
  columns: { name: string; side: 'left' | 'right'; source: string }[];
  schema: Column[];
}

const RIGHT_SUFFIX = '_right';

/** Left columns keep their names; right columns that clash get `_right` (repeated until the name is free). */
function planJoin(left: Columns, right: Columns, config: Config): Checked<JoinPlan> {
  const problems = new Problems();
  config.keys.forEach((pair, i) => {
    const leftKey = problems.column(left, pair.left, `keys[${i}].left`);
    const rightKey = problems.column(right, pair.right, `keys[${i}].right`);
    if (leftKey && rightKey && !comparable(leftKey.type, rightKey.type))
      problems.add(
        'TYPE_MISMATCH',
        `Join keys do not match: "${leftKey.name}" is ${leftKey.type}, "${rightKey.name}" is ${rightKey.type}`,
        `keys[${i}].right`,
      );
  });
  return problems.result(() => {
    const nullableLeft = config.join_type === 'RIGHT' || config.join_type === 'FULL';
    const nullableRight = config.join_type === 'LEFT' || config.join_type === 'FULL';
    const taken = new Set(left.map((c) => c.name));
    const columns: JoinPlan['columns'] = left.map((c) => ({ name: c.name, side: 'left', source: c.name }));
    const schema = left.map((c) => ({ ...c, nullable: c.nullable || nullableLeft }));
    for (const c of right) {
      let name = c.name;
      while (taken.has(name)) name += RIGHT_SUFFIX;
      taken.add(name);
      columns.push({ name, side: 'right', source: c.name });
      schema.push({ name, type: c.type, nullable: c.nullable || nullableRight });
    }
    return { columns, schema };
  });
}

export const join = defineNode({
  type: 'join',
  config,
  inputs: { kind: 'handles', handles: ['left', 'right'] },
  terminal: false,
  propagate([left, right], config) {
    const checked = planJoin(left!, right!, config);
    return checked.ok ? { ok: true, value: checked.value.schema } : checked;
  },
  lower([left, right], config): Rel {
    const { columns, schema } = expectOk(planJoin(left!.schema, right!.schema, config));
    const joinType: JoinType = config.join_type;
    return {
      kind: 'join',
      left: left!,
      right: right!,
      joinType,
      keys: config.keys.map(({ left, right }) => ({ left, right })),
      columns,
      schema,
    };
  },
});
