-- Bridge nodes as their heartbeats on outpost.bridge-nodes.v1 tell. A node that falls silent for three of its
-- intervals is LOST, and so are the sessions it held (no DISCONNECTED ever comes for them); a node that starts again
-- ends the sessions of its previous life.
create table bridge_node (
    node_id     text primary key,
    started_at  timestamptz not null,
    -- By this registry's clock, so a node's skewed clock cannot keep it alive or kill it early.
    last_heard  timestamptz not null,
    interval_ms bigint not null,
    state       text not null check (state in ('ALIVE', 'STOPPED', 'LOST'))
);
create index bridge_node_alive on bridge_node (last_heard) where state = 'ALIVE';
create index connection_status_online_by_node on connection_status (node) where online;
