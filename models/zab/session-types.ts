// The data of the sessions grain (`sessions=true`): the client sessions' scripts, the packets
// between clients and servers, what a server keeps for the requests of its clients, and the client
// node's record. See sessions.ts for the server side and clients.ts for the client node.
import type { NodeId } from '../../src/index.ts';

/** A value a reply carries: a created path, data, a version, or an error name. */
export type ReplyValue = string | number;

/**
 * One client session: its name (the sessionId, `c0`, `c1`, ...), the one server it connects to,
 * its operations in program order (the first is always createSession), and whether the leader's
 * session tracker may expire it (ZooKeeper's session timeout, as an event: see sessions.ts).
 */
export interface SessionScript {
  readonly name: string;
  readonly server: NodeId;
  readonly ops: readonly string[];
  /**
   * The operations issued without waiting for the previous one's reply (asynchronous calls, as
   * `sync(path, cb); getData(path)` is written), by index; every other operation waits for the
   * previous reply (ZooKeeper's client sends nothing before its session is connected).
   */
  readonly pipelined: readonly number[];
  readonly expires: boolean;
}

/** Packets of the sessions grain, added to the server's message union. */
export type SessionMsg =
  /** Client -> its server: operation `cxid` of `session` (createSession, create, getData, setData, sync). */
  | { readonly type: 'CREQUEST'; readonly session: string; readonly cxid: number; readonly op: string; readonly lastZxid?: number }
  /** Server -> client: the reply to `cxid`, with the zxid of the server's last applied txn (ZooKeeper's ReplyHeader). */
  | { readonly type: 'CREPLY'; readonly session: string; readonly cxid: number; readonly output: ReplyValue; readonly zxid: number }
  /** Server -> client: the server serves, so the session's connection is accepted (the client then creates its session). */
  | { readonly type: 'CACCEPT'; readonly session: string }
  /** Server -> client: the server stopped serving and closed the session's connection (its pending requests are lost). */
  | { readonly type: 'CDISCONNECT'; readonly session: string }
  /** Follower -> leader: a client's write or sync, for the leader's PrepRequestProcessor (ZooKeeper's Learner REQUEST packet). */
  | { readonly type: 'FORWARD'; readonly session: string; readonly cxid: number; readonly op: string }
  /** Leader -> follower: the sync of `cxid` is done; every txn the leader committed before it is already sent (Leader.SYNC). */
  | { readonly type: 'SYNCREPLY'; readonly session: string; readonly cxid: number };

/** A client request a server holds: received, maybe forwarded, not answered yet. */
export interface PendingRequest {
  readonly session: string;
  readonly cxid: number;
  readonly op: string;
  /** Forwarded to the leader (a follower's write or sync) or prepared (the leader's own). */
  readonly sent: boolean;
  /** A sync whose SYNCREPLY arrived. */
  readonly synced?: boolean;
  /** A reconnect: the highest zxid the client has seen (its ConnectRequest's lastZxidSeen). */
  readonly lastZxid?: number;
}

/** A sync the leader answers once the last txn it had proposed when the sync arrived is committed. */
export interface LeaderSync {
  readonly to: NodeId;
  readonly session: string;
  readonly cxid: number;
  readonly zxid: number;
}

/** What a server keeps for its clients (volatile: a crash or a shutdown closes the connections). */
export interface ServerSessions {
  /** Requests in arrival order. */
  readonly pending: readonly PendingRequest[];
  /** The leader's syncs waiting for a commit (Leader.processSync's pendingSyncs). */
  readonly syncs: readonly LeaderSync[];
  /** Sessions whose connection this server closed: their later packets are dropped (the socket is gone). */
  readonly closed: readonly string[];
}

/** The client node's record, all durable (it is the test harness, not a server). */
export interface ClientsRecord {
  /**
   * The history, in the order the client node saw events (a real-time order): `call <session>
   * <cxid>` and `return <session> <cxid> <output JSON> <zxid> s<server>`.
   */
  readonly history: readonly string[];
  /** Per session: the next operation to issue, or -1 once its connection was lost. */
  readonly next: readonly number[];
  /** Per session, once one moved (`reconnect sK`): the server it is connected to now. */
  readonly at?: readonly NodeId[];
}
