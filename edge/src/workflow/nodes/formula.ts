import { z } from 'zod';
import { compileFormula } from '../formula/index.ts';
import { substitute, type Expr, type NamedExpr, type Rel } from '../ir.ts';
import { columnName } from '../schema.ts';
import type { Column } from '../types.ts';
import { defineNode, expectOk, Problems, type Checked } from './node.ts';

const config = z.object({ formulas: z.array(z.object({ name: columnName, expression: z.string() })).min(1) });
type Config = z.infer<typeof config>;

/**
 * Formulas apply in order: each sees the input columns plus the formulas before it. A formula named like an existing
 * column replaces it in place; new ones are appended.
 */
function planFormulas(
  input: readonly Column[],
  config: Config,
): Checked<{ columns: NamedExpr[]; schema: Column[] }> {
  const problems = new Problems();
  let schema: Column[] = [...input];
  const exprs = new Map<string, Expr>(
    input.map((c) => [c.name, { kind: 'col', name: c.name, type: c.type }]),
  );
  config.formulas.forEach((formula, i) => {
    const result = compileFormula(formula.expression, schema);
    if (!result.ok) {
      problems.add(result.code, `Formula "${formula.name}": ${result.message}`, `formulas[${i}].expression`);
      return;
    }
    // Earlier formulas are inlined so the whole node stays one projection over its input.
    exprs.set(
      formula.name,
      substitute(result.expr, (name) => exprs.get(name)!),
    );
    const column: Column = { name: formula.name, type: result.expr.type, nullable: result.nullable };
    schema = schema.some((c) => c.name === formula.name)
      ? schema.map((c) => (c.name === formula.name ? column : c))
      : [...schema, column];
  });
  return problems.result(() => ({
    columns: schema.map((c) => ({ name: c.name, expr: exprs.get(c.name)! })),
    schema,
  }));
}

export const formula = defineNode({
  type: 'formula',
  config,
  inputs: { kind: 'one' },
  terminal: false,
  propagate([columns], config) {
    const checked = planFormulas(columns!, config);
    return checked.ok ? { ok: true, value: checked.value.schema } : checked;
  },
  lower([input], config): Rel {
    const { columns, schema } = expectOk(planFormulas(input!.schema, config));
    return { kind: 'project', input: input!, columns, schema };
  },
});
