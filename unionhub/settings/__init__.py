"""Settings: ``base`` holds everything shared, ``dev`` is the embedded default a newcomer runs,
``test`` is what pytest uses, ``production`` is strict and refuses unsafe defaults."""
