import { z } from 'zod';
import { withColumn, type Columns } from '../columns.ts';
import { compileFormula } from '../formula/index.ts';
import type { Expr, Rel } from '../ir.ts';
import { columnName } from '../schema.ts';
import type { Column } from '../types.ts';
import { defineNode, expectOk, Problems, type Checked } from './node.ts';

const config = z.object({ formulas: z.array(z.object({ name: columnName, expression: z.string() })).min(1) });
type Config = z.infer<typeof config>;

/**
 * Formulas apply in order: each sees the input columns plus the formulas before it. A formula named like an existing
 * column replaces it in place; new ones are appended. Each formula lowers to its own `extend`, so the merge stage
 * decides how far to inline earlier formulas (and stops before expressions blow up).
 */
interface FormulaStep {
  name: string;
  expr: Expr;
  schema: Columns;
}

/**
 * Propagation and lowering plan the same config over equal input columns; parsing and type-checking once per
 * compile halves the work of formula-heavy graphs. Keyed by the parsed config, which lives as long as one analysis.
 */
const plans = new WeakMap<Config, { input: Columns; plan: Checked<FormulaStep[]> }>();

function planFormulas(input: Columns, config: Config): Checked<FormulaStep[]> {
  const cached = plans.get(config);
  if (cached && sameColumns(cached.input, input)) return cached.plan;
  const plan = planSteps(input, config);
  plans.set(config, { input, plan });
  return plan;
}

const sameColumns = (a: Columns, b: Columns): boolean =>
  a === b ||
  (a.length === b.length &&
    a.every((c, i) => {
      const other = b.at(i)!;
      return c.name === other.name && c.type === other.type && c.nullable === other.nullable;
    }));

function planSteps(input: Columns, config: Config): Checked<FormulaStep[]> {
  const problems = new Problems();
  const steps: FormulaStep[] = [];
  let schema = input;
  config.formulas.forEach((formula, i) => {
    const result = compileFormula(formula.expression, schema);
    if (!result.ok) {
      problems.add(result.code, `Formula "${formula.name}": ${result.message}`, `formulas[${i}].expression`);
      return;
    }
    const column: Column = { name: formula.name, type: result.expr.type, nullable: result.nullable };
    const next = withColumn(schema, column);
    steps.push({ name: formula.name, expr: result.expr, schema: next });
    schema = next;
  });
  return problems.result(() => steps);
}

export const formula = defineNode({
  type: 'formula',
  config,
  inputs: { kind: 'one' },
  terminal: false,
  propagate([columns], config) {
    const checked = planFormulas(columns!, config);
    return checked.ok ? { ok: true, value: checked.value.at(-1)!.schema } : checked;
  },
  lower([input], config): Rel {
    return expectOk(planFormulas(input!.schema, config)).reduce<Rel>(
      (rel, step) => ({ kind: 'extend', input: rel, name: step.name, expr: step.expr, schema: step.schema }),
      input!,
    );
  },
});
