/** A one-line progress bar on a TTY; on pipes (CI logs) it prints a line per 10 % instead of carriage returns. */
export function progressBar(label: string, out: NodeJS.WriteStream, width = 30) {
  let lastDecile = -1;
  return {
    update(fraction: number, detail: string) {
      const f = Math.max(0, Math.min(1, fraction));
      if (out.isTTY) {
        const filled = Math.round(f * width);
        out.write(
          `\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}% ${detail}   `,
        );
      } else if (Math.floor(f * 10) > lastDecile) {
        lastDecile = Math.floor(f * 10);
        out.write(`${label}: ${(f * 100).toFixed(0)}% ${detail}\n`);
      }
    },
    done(message: string) {
      out.write(out.isTTY ? `\r${label}: ${message}${' '.repeat(width + 20)}\n` : `${label}: ${message}\n`);
    },
  };
}
