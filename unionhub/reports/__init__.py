"""Monthly reports: the figures of every programme for a month (``figures``), rendered as a Chinese PDF
with charts and an XLSX workbook (``render``), produced on schedule or on request and archived
(``runs``). ``base`` defines the shapes the three share."""
