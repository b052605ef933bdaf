-- The audit API's tunnel filter.
create index remote_access_audit_tunnel on remote_access_audit (tenant_id, tunnel_id, seq desc) where tunnel_id is not null;
