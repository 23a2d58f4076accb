"""The office meetings store no file: the minutes' PDF is generated on request by ``views.minutes_pdf``, for
those who may see the meeting."""
