/**
 * Where state machines and executions live between process restarts.
 *
 * Layout under the data folder (names are URI-encoded):
 *   state-machines/<name>.json            the machine (current definition hash, role, dates)
 *   definitions/<sha256>.json             definition texts, written once, shared by executions
 *   executions/<machine>/<name>.records.jsonl   the execution record (status, position, counters):
 *                                         each commit appends the new record; the last whole line counts
 *   executions/<machine>/<name>.history.jsonl   its history, one event per line, append-only
 *   open/<machine>#<name>                 marker: the execution is RUNNING (found at startup without reading closed ones)
 *
 * Machines are replaced atomically (write to a temporary file, then rename). Execution records are
 * appended, which costs far less than a rename per step, and a line cut short by a crash is
 * ignored; the journal is compacted to its last record every few dozen commits and when the
 * execution closes. History is appended before the record that counts it is written; on load,
 * lines beyond the record's eventCount (written just before a crash) are dropped, so history and
 * record always agree.
 */
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { ExecutionRecord, StoredHistoryEvent } from './model';

export interface StateMachineRecord {
  name: string;
  stateMachineArn: string;
  definitionHash: string;
  roleArn: string;
  type: 'STANDARD';
  /** Epoch ms. */
  creationDate: number;
  updateDate?: number;
  revisionId: string;
}

export interface ExecutionStore {
  loadStateMachines(): StateMachineRecord[];
  saveStateMachine(machine: StateMachineRecord): void;
  saveDefinition(text: string): string;
  loadDefinition(hash: string): string;
  readExecution(stateMachineName: string, name: string): ExecutionRecord | undefined;
  /** Appends `events` to the history, then writes the record (whose eventCount includes them). */
  commitExecution(record: ExecutionRecord, events: StoredHistoryEvent[]): void;
  readHistory(record: ExecutionRecord): StoredHistoryEvent[];
  /** Drops history lines beyond the record's eventCount (left by a crash between the two writes). */
  repairHistory(record: ExecutionRecord): void;
  listExecutions(stateMachineName: string): ExecutionRecord[];
  listOpenExecutions(): Array<{ stateMachineName: string; name: string }>;
  clearOpenMarker(stateMachineName: string, name: string): void;
}

/** Record journals are compacted after this many appended records. */
const COMPACT_AFTER = 64;

export class FileExecutionStore implements ExecutionStore {
  private tempCounter = 0;
  /** Records appended to each open execution's journal since it was last compacted. */
  private readonly journalLength = new Map<string, number>();

  constructor(private readonly dataDir: string) {
    for (const dir of ['state-machines', 'definitions', 'executions', 'open']) mkdirSync(join(dataDir, dir), { recursive: true });
  }

  loadStateMachines(): StateMachineRecord[] {
    const dir = join(this.dataDir, 'state-machines');
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as StateMachineRecord);
  }

  saveStateMachine(machine: StateMachineRecord): void {
    this.writeAtomic(join(this.dataDir, 'state-machines', `${enc(machine.name)}.json`), JSON.stringify(machine, null, 2));
  }

  saveDefinition(text: string): string {
    const hash = createHash('sha256').update(text, 'utf8').digest('hex');
    const file = join(this.dataDir, 'definitions', `${hash}.json`);
    if (!existsSync(file)) this.writeAtomic(file, text);
    return hash;
  }

  loadDefinition(hash: string): string {
    return readFileSync(join(this.dataDir, 'definitions', `${hash}.json`), 'utf8');
  }

  readExecution(stateMachineName: string, name: string): ExecutionRecord | undefined {
    return this.readRecordFile(this.recordFile(stateMachineName, name));
  }

  commitExecution(record: ExecutionRecord, events: StoredHistoryEvent[]): void {
    mkdirSync(join(this.dataDir, 'executions', enc(record.stateMachineName)), { recursive: true });
    const marker = this.markerFile(record.stateMachineName, record.name);
    const lines = events.map((e) => `${JSON.stringify(e)}\n`).join('');
    const historyFile = this.historyFile(record.stateMachineName, record.name);
    // The first commit of an execution starts its history afresh (over whatever a crash before its first record left).
    if (events.length && record.eventCount === events.length) this.writeAtomic(historyFile, lines);
    else if (events.length) appendFileSync(historyFile, lines);
    // The marker goes first when an execution opens and last when it closes, so an open execution always has one.
    if (record.status === 'RUNNING' && !existsSync(marker)) writeFileSync(marker, '');
    const journal = this.recordFile(record.stateMachineName, record.name);
    const line = `${JSON.stringify(record)}\n`;
    const appended = (this.journalLength.get(journal) ?? 0) + 1;
    const firstCommit = events.length > 0 && record.eventCount === events.length;
    if (firstCommit || record.status !== 'RUNNING' || appended >= COMPACT_AFTER) {
      this.writeAtomic(journal, line);
      if (record.status === 'RUNNING') this.journalLength.set(journal, 1);
      else this.journalLength.delete(journal);
    } else {
      appendFileSync(journal, line);
      this.journalLength.set(journal, appended);
    }
    if (record.status !== 'RUNNING') rmSync(marker, { force: true });
  }

  readHistory(record: ExecutionRecord): StoredHistoryEvent[] {
    return this.readHistoryLines(record).slice(0, record.eventCount);
  }

  repairHistory(record: ExecutionRecord): void {
    const events = this.readHistoryLines(record);
    if (events.length <= record.eventCount && events.every((e, i) => e.id === i + 1)) return;
    const kept = events.slice(0, record.eventCount);
    this.writeAtomic(this.historyFile(record.stateMachineName, record.name), kept.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }

  listExecutions(stateMachineName: string): ExecutionRecord[] {
    const dir = join(this.dataDir, 'executions', enc(stateMachineName));
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.records.jsonl'))
      .map((f) => this.readRecordFile(join(dir, f)))
      .filter((record): record is ExecutionRecord => record !== undefined);
  }

  listOpenExecutions(): Array<{ stateMachineName: string; name: string }> {
    return readdirSync(join(this.dataDir, 'open'))
      .filter((f) => f.includes('#'))
      .map((f) => {
        const [machine, name] = f.split('#');
        return { stateMachineName: dec(machine), name: dec(name) };
      });
  }

  /** For records that turned out not to be open (a crash between writing the record and removing the marker). */
  clearOpenMarker(stateMachineName: string, name: string): void {
    rmSync(this.markerFile(stateMachineName, name), { force: true });
  }

  private readHistoryLines(record: ExecutionRecord): StoredHistoryEvent[] {
    const file = this.historyFile(record.stateMachineName, record.name);
    if (!existsSync(file)) return [];
    const events: StoredHistoryEvent[] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        events.push(JSON.parse(line) as StoredHistoryEvent);
      } catch {
        break; // a line cut short by a crash; nothing after it counts
      }
    }
    return events;
  }

  private recordFile(machine: string, name: string): string {
    return join(this.dataDir, 'executions', enc(machine), `${enc(name)}.records.jsonl`);
  }

  /** The last whole record of a journal. */
  private readRecordFile(file: string): ExecutionRecord | undefined {
    if (!existsSync(file)) return undefined;
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      if (!lines[i]) continue;
      try {
        return JSON.parse(lines[i]) as ExecutionRecord;
      } catch {
        // cut short by a crash: the record before it is the last committed one
      }
    }
    return undefined;
  }

  private historyFile(machine: string, name: string): string {
    return join(this.dataDir, 'executions', enc(machine), `${enc(name)}.history.jsonl`);
  }

  private markerFile(machine: string, name: string): string {
    return join(this.dataDir, 'open', `${enc(machine)}#${enc(name)}`);
  }

  private writeAtomic(file: string, text: string): void {
    const temp = `${file}.${process.pid}.${++this.tempCounter}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, file);
  }
}

/** Names never contain '#', and encoded they hold no path separators. */
function enc(name: string): string {
  return encodeURIComponent(name);
}

function dec(name: string): string {
  return decodeURIComponent(name);
}
