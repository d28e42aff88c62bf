import { execSync } from 'node:child_process';

/** Small helpers shared by the edit benchmark's parts. */

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `lscpu` model line, `nproc`, and `free -h` total, for the results file. */
export function machineDescription(): string {
  const run = (command: string) => {
    try {
      return execSync(command, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  const model = run("lscpu | grep -m1 'Model name' | sed 's/Model name:\\s*//'");
  const memory = run("free -h | awk '/^Mem:/ {print $2}'");
  return `${model}, nproc ${run('nproc')}, ${memory} RAM, Node ${process.version}`;
}
