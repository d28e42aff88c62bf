import { readFileSync } from 'node:fs';

/**
 * Memory of a running process from /proc, worker threads included (they share the process's address space):
 * resident now, the peak so far (VmHWM, kept by the kernel, so no sample can miss it), and where the
 * resident pages live, from /proc/PID/smaps: glibc's main heap, other anonymous mappings (glibc's thread
 * arenas, V8's heaps, ONNX Runtime's and libvips' large buffers, which glibc maps one by one above its
 * mmap threshold), and file mappings (the node binary, shared libraries, models read by mmap).
 */
export interface MemoryReading {
  rssMb: number;
  peakMb: number;
  heapMb: number;
  anonymousMb: number;
  fileMb: number;
}

const kb = (text: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);

export function readMemory(pid: number): MemoryReading {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  let heap = 0;
  let anonymous = 0;
  let file = 0;
  // Each mapping: a header line (address range, perms, offset, device, inode, optional path), then fields.
  for (const block of smaps.split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/)) {
    const header = block.slice(0, block.indexOf('\n'));
    const parts = header.trim().split(/\s+/);
    const name = parts.slice(5).join(' ');
    const rss = kb(block, 'Rss');
    if (name === '[heap]') heap += rss;
    else if (name === '' || name.startsWith('[')) anonymous += rss;
    else file += rss;
  }
  return {
    rssMb: kb(status, 'VmRSS') / 1024,
    peakMb: kb(status, 'VmHWM') / 1024,
    heapMb: heap / 1024,
    anonymousMb: anonymous / 1024,
    fileMb: file / 1024,
  };
}

/** One line for a table: `rss 812 (heap 40, anon 650, files 122)`. */
export function describeMemory(m: MemoryReading): string {
  const r = (n: number) => n.toFixed(0);
  return `${r(m.rssMb)} MB (heap ${r(m.heapMb)}, anon ${r(m.anonymousMb)}, files ${r(m.fileMb)})`;
}
