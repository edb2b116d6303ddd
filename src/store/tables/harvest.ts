// Harvest checkpoints, runs and the lease that keeps one harvester at a time.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../schema.ts';

export interface HarvestCheckpointTable {
  set_spec: string;
  in_progress: ColumnType<number, number | undefined, number>;
  list_from: string | null;
  list_until: string | null;
  resumption_token: string | null;
  list_started_at: Timestamp | null;
  datestamp_reached: string | null;
  pages_done: ColumnType<number, number | undefined, number>;
  harvested_through: string | null;
  updated_at: Timestamp;
}

export interface HarvestRunTable {
  id: Generated<number>;
  /** cli | schedule */
  trigger: string;
  /** running | succeeded | failed | interrupted */
  status: string;
  /** Comma-separated OAI sets. */
  sets: string;
  from_day: string | null;
  until_day: string | null;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  pages: ColumnType<number, number | undefined, number>;
  fetched: ColumnType<number, number | undefined, number>;
  new: ColumnType<number, number | undefined, number>;
  updated: ColumnType<number, number | undefined, number>;
  unchanged: ColumnType<number, number | undefined, number>;
  withdrawn: ColumnType<number, number | undefined, number>;
  skipped: ColumnType<number, number | undefined, number>;
  error: string | null;
  problems: ColumnType<string, string | undefined, string>;
}

export interface HarvestLeaseTable {
  name: string;
  owner: string;
  acquired_at: Timestamp;
  expires_at: Timestamp;
}
