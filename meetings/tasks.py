"""The office meetings have no scheduled work: open tasks reach their owners through the dashboard's to-do
card (``meetings.dashboard``), computed on each visit."""
