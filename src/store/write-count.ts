// Counts the writes a Kysely instance has finished, so an in-process cache can tell that this process
// changed the store and look again at once, instead of waiting for the change watcher's next poll or
// notification (src/http/page-cache.ts). Statements built with the query builder are classified by
// their kind; raw SQL counts as a write unless it reads.
import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

const WRITE_KINDS = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);
const READ_SQL = /^\s*(select|pragma|explain|show)\b/i;

export class WriteCounter implements KyselyPlugin {
  /** Writes finished so far (inside a transaction: executed, maybe not yet committed). */
  count = 0;
  private readonly writes = new WeakSet<object>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (isWrite(args.node)) this.writes.add(args.queryId);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.writes.has(args.queryId)) this.count++;
    return args.result;
  }
}

function isWrite(node: OperationNode): boolean {
  if (WRITE_KINDS.has(node.kind)) return true;
  if (node.kind !== 'RawNode') return false;
  const first = (node as unknown as { sqlFragments: readonly string[] }).sqlFragments[0] ?? '';
  return !READ_SQL.test(first);
}
