-- The W3C trace context of the span that stored a message (docs/operations.md, "Tracing"), written into the headers of
-- every record that publishes it: the first one after the commit, and each re-publish on a later session, so the
-- delivery on a bridge node joins the trace of the request that sent the message. Null when tracing is off.
alter table mailbox_message add column traceparent text;
alter table mailbox_message add column tracestate text;
