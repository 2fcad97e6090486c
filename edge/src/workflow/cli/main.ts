import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { compile } from '../compile.ts';
import { DIALECTS, type DialectName } from '../dialects/index.ts';
import { graphJsonSchema } from '../json-schema.ts';
import { validate } from '../validate.ts';
import { openDuckDB, type DuckDBFile } from './duckdb.ts';
import { jsonValue } from '../json-value.ts';

const USAGE = `Usage:
  flowforge validate <graph.json> (--catalog <catalog.json> | --duckdb <file.duckdb>)
  flowforge compile  <graph.json> --target <node-id> [--dialect clickhouse|postgres|duckdb] (--catalog <catalog.json> | --duckdb <file.duckdb>)
  flowforge run      <graph.json> --target <node-id> --duckdb <file.duckdb> [--limit <n>]
  flowforge schema

Exit codes: 0 success, 1 invalid graph (JSON errors on stdout), 2 usage or I/O error (message on stderr).`;

class UsageError extends Error {}

interface Options {
  catalog?: string | undefined;
  duckdb?: string | undefined;
  target?: string | undefined;
  dialect?: string | undefined;
  limit?: string | undefined;
}

const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new UsageError(`Cannot read JSON from ${path}: ${(error as Error).message}`);
  }
}

/** Runs `body` with the catalog from --catalog or discovered from --duckdb (and the open database, if any). */
async function withCatalog<T>(
  options: Options,
  body: (catalog: unknown, database: DuckDBFile | undefined) => Promise<T>,
): Promise<T> {
  if (options.catalog !== undefined && options.duckdb !== undefined)
    throw new UsageError('Pass either --catalog or --duckdb, not both');
  if (options.catalog !== undefined) return body(readJson(options.catalog), undefined);
  if (options.duckdb === undefined)
    throw new UsageError('A catalog is needed: pass --catalog <file> or --duckdb <file>');
  const database = await openDuckDB(options.duckdb).catch((error: unknown) => {
    throw new UsageError(`Cannot open DuckDB database ${options.duckdb}: ${String(error)}`);
  });
  try {
    return await body(await database.catalog(), database);
  } finally {
    database.close();
  }
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`Missing ${flag}`);
  return value;
}

function dialectOption(value: string | undefined): DialectName | undefined {
  if (value === undefined) return undefined;
  if (!(DIALECTS as readonly string[]).includes(value))
    throw new UsageError(`Unknown dialect "${value}"; expected ${DIALECTS.join(', ')}`);
  return value as DialectName;
}

function limitOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--limit takes a non-negative integer, got "${value}"`);
  return Number(value);
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      catalog: { type: 'string' },
      duckdb: { type: 'string' },
      target: { type: 'string' },
      dialect: { type: 'string' },
      limit: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const [command, graphPath] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (command === 'schema') {
    print(graphJsonSchema());
    return 0;
  }
  if (!['validate', 'compile', 'run'].includes(command)) throw new UsageError(`Unknown command "${command}"`);
  const graph = readJson(required(graphPath, 'the graph file'));

  if (command === 'validate') {
    return withCatalog(values, async (catalog) => {
      const errors = validate(graph, catalog);
      print({ ok: errors.length === 0, errors });
      return errors.length === 0 ? 0 : 1;
    });
  }
  const target = required(values.target, '--target');
  if (command === 'compile') {
    const dialect = dialectOption(values.dialect);
    return withCatalog(values, async (catalog) => {
      const result = compile(graph, target, { catalog, ...(dialect ? { dialect } : {}) });
      print(result);
      return result.ok ? 0 : 1;
    });
  }
  required(values.duckdb, '--duckdb');
  const limit = limitOption(values.limit);
  return withCatalog({ duckdb: values.duckdb }, async (catalog, database) => {
    const result = compile(graph, target, {
      catalog,
      dialect: 'duckdb',
      ...(limit !== undefined ? { limit } : {}),
    });
    if (!result.ok) {
      print(result);
      return 1;
    }
    const rows = await database!.rows(result.sql);
    const types = result.schema.map((c) => c.type);
    // One line: result sets can be long, and consumers parse rather than read them.
    process.stdout.write(
      `${JSON.stringify({ columns: result.schema.map((c) => ({ name: c.name, type: c.type })), rows: rows.map((row) => row.map((v, i) => jsonValue(v, types[i]!))) })}\n`,
    );
    return 0;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // parseArgs reports unknown flags as TypeErrors: those are usage errors too.
    const usage = error instanceof UsageError || error instanceof TypeError;
    process.stderr.write(
      `flowforge: ${error instanceof Error ? error.message : String(error)}${usage ? '\nRun flowforge --help for usage.' : ''}\n`,
    );
    process.exitCode = 2;
  },
);
