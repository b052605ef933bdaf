-- A message the device can never take (larger than the Maximum Packet Size it announced): final, never re-sent.
alter table mailbox_message drop constraint mailbox_message_state_check;
alter table mailbox_message add constraint mailbox_message_state_check
    check (state in ('PENDING', 'DELIVERED', 'EXPIRED', 'CANCELLED', 'UNDELIVERABLE'));
