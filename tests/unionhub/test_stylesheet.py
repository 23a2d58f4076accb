"""The stylesheet is appended to by every feature: one unclosed block silently moves every later rule into
a media query (issue 19's ledger block left ``@media (max-width: 760px) {`` open, so the desktop lost the
casework, cadre and sign-in letter rules). Check the nesting so that this fails here, not in a browser."""

import re
from pathlib import Path

from django.conf import settings

COMMENT = re.compile(r"/\*.*?\*/", re.S)
STRING = re.compile(r"\"[^\"\n]*\"|'[^'\n]*'")


def test_every_block_of_the_stylesheet_is_closed_where_it_opens():
    for path in Path(settings.BASE_DIR, "static", "css").glob("*.css"):
        text = STRING.sub('""', COMMENT.sub("", path.read_text(encoding="utf-8")))
        depth = 0
        for number, line in enumerate(text.splitlines(), start=1):
            # A rule at the top level starts in column 0; nested rules are indented.
            if line and not line[0].isspace() and not line.startswith("}"):
                assert depth == 0, f"{path.name} line {number}: a block above it is not closed"
            depth += line.count("{") - line.count("}")
            assert depth >= 0, f"{path.name} line {number}: a '}}' closes nothing"
        assert depth == 0, f"{path.name}: {depth} block(s) never closed"
