"""The tutoring classes have no scheduled work: sessions without attendance and waiting lists reach the hosts
through the dashboard's to-do card (``tutoring.dashboard``), computed on each visit."""
