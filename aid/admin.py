"""No model of the aid programmes is registered with the Django admin, on purpose.

Hardship files and a minor's school-place request are seen only by aid staff and the submitting
chair, and every look at one is logged (``visible_to`` and the views); the admin would show them to
any staff user with a model permission, unlogged. The fund is an append-only ledger corrected by
reversals, and every change to a file, an application, a ticket or a mutual-aid fund goes through a
service that checks it and writes its audit record; an admin form would bypass both. Reference data
(programmes, living standards, campaigns, enrolment deadlines) has pages of its own under /aid/."""
