// The generator CLI on its own (what the container runs): `node --import tsx pipeline/src/generator/main.ts [options]`.
import { generateCommand } from './command.ts';

generateCommand(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`generator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
