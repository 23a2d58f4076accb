"""The one notification service (issue 21): kinds of notice (``kinds``), the rows it keeps (``models``), the
service that routes, queues, claims, retries and rate-limits (``service``) and its seam to the transports of
``unionhub.channels`` (``transports``). Apps keep calling ``unionhub.notices.notify``."""
