"""The aid programmes' forms, one module per views module (``aid/views/files.py`` uses ``aid/forms/files.py``)."""
