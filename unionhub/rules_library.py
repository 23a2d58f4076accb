"""The federation's rules library (制度汇编): publishing rules and their versions, reading them, and the
search over them.

A rule's text lives in its versions. The *current* version is the latest one already in effect
(``effective_on`` today or earlier); a version published with a later date is *upcoming*, and every
earlier version is *superseded* but stays readable. Versions are never edited: a change is a new
version, and a version's effective date is never before the latest version's, so that "the latest in
effect" is the same whether counted by number or by date.

Search looks in ``RuleVersion.search_text`` (the title and the text as plain text, NFKC-normalised and
case-folded) with a substring match per term, done by the database; that is what lets a Chinese word
("会费", "上挂") match inside a sentence without a word segmenter.

Every write is one transaction run with the acting user set, so that django-auditlog records it."""

import dataclasses
import datetime
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from html import escape
from html.parser import HTMLParser

import markdown
import nh3
from auditlog.context import set_actor
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .access import has_duty, require
from .models import Rule, RuleVersion
from .uploads import PDF_ONLY

MAX_TERMS = 8
MAX_QUERY_LENGTH = 100
SNIPPET_BEFORE = 30
SNIPPET_LENGTH = 120
RENDER_CACHE_SECONDS = 24 * 3600

# --- Markdown ----------------------------------------------------------------------------------

ALLOWED_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "br",
    "a",
}
_BLOCK_TAGS = ALLOWED_TAGS - {"strong", "em", "a"}


def render_markdown(text: str) -> SafeString:
    """The version's Markdown as HTML that is safe to show: rendered, then sanitised (only headings,
    paragraphs, lists, emphasis, tables, quotes, line breaks and links survive; a rule's own headings
    start at level 3, under the page's)."""
    html = markdown.markdown(
        text or "",
        extensions=["tables", "sane_lists", "toc"],
        extension_configs={"toc": {"baselevel": 3}},
        output_format="html",
    )
    return mark_safe(  # noqa: S308 - sanitised by nh3
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes={"a": {"href"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )


def rendered(version: RuleVersion) -> SafeString:
    """``render_markdown`` of a version's text, cached: a version's text never changes (the key holds a
    digest of the text all the same, so a reused primary key in a test database cannot serve stale HTML)."""
    digest = hashlib.blake2b(version.text.encode(), digest_size=12).hexdigest()
    key = f"rules:html:{version.pk}:{digest}"
    html = cache.get(key)
    if html is None:
        html = str(render_markdown(version.text))
        cache.set(key, html, timeout=RENDER_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - sanitised by render_markdown before it was cached


class _PlainText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")


def plain_text(text: str) -> str:
    """The Markdown's words without the markup (the sanitised rendering, tags dropped)."""
    parser = _PlainText()
    parser.feed(render_markdown(text))
    parser.close()
    return " ".join("".join(parser.parts).split())


def normalise(text: str) -> str:
    """What search compares: full-width and compatibility forms folded (ＡＢＣ → abc, （ → (), case folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def search_text_for(title: str, text: str) -> str:
    return normalise(f"{title}\n{plain_text(text)}")


# --- reading -----------------------------------------------------------------------------------


def current_version(rule: Rule, *, today: datetime.date | None = None) -> RuleVersion | None:
    """The latest version in effect, or None when every version is still upcoming."""
    today = today or timezone.localdate()
    return (
        rule.versions.select_related("published_by")
        .filter(effective_on__lte=today)
        .order_by("-version")
        .first()
    )


def version_state(
    version: RuleVersion, current: RuleVersion | None, *, today: datetime.date | None = None
) -> str:
    """``"current"``, ``"upcoming"`` (not yet in effect) or ``"superseded"`` (a later version is in effect)."""
    today = today or timezone.localdate()
    if version.effective_on > today:
        return "upcoming"
    if current is not None and version.version < current.version:
        return "superseded"
    return "current"


def _in_effect(today: datetime.date, rule_ref: str = "pk"):
    return RuleVersion.objects.filter(rule=OuterRef(rule_ref), effective_on__lte=today).order_by("-version")


def rules_with_versions(today: datetime.date | None = None):
    """Every rule with its current version's number and date and its next upcoming version's, in one query
    (``current_number``, ``current_on``, ``upcoming_number``, ``upcoming_on``; None where there is none)."""
    today = today or timezone.localdate()
    upcoming = RuleVersion.objects.filter(rule=OuterRef("pk"), effective_on__gt=today).order_by("version")
    return Rule.objects.select_related("superseded_by").annotate(
        current_number=Subquery(_in_effect(today).values("version")[:1]),
        current_on=Subquery(_in_effect(today).values("effective_on")[:1]),
        upcoming_number=Subquery(upcoming.values("version")[:1]),
        upcoming_on=Subquery(upcoming.values("effective_on")[:1]),
    )


def governing(programmes: Iterable[str], *, today: datetime.date | None = None):
    """The rules in force (not superseded, a version in effect) that govern any of ``programmes``."""
    today = today or timezone.localdate()
    return (
        Rule.objects.filter(programme__in=[p for p in programmes if p], superseded_by__isnull=True)
        .filter(Exists(_in_effect(today)))
        .only("pk", "number", "title")
        .order_by("number")
    )


# --- writing -----------------------------------------------------------------------------------


def pdf_problem(upload) -> str | None:
    """Why an uploaded file cannot be a rule's PDF, or None: the PDF policy (a PDF by content, named as
    one or not at all, 10 MB at most)."""
    return PDF_ONLY.problem(upload)


def _version_problems(*, text: str, pdf, effective_on) -> list[str]:
    problems = []
    if not text and pdf is None:
        problems.append(_("Give the rule's text or attach it as a PDF."))
    if pdf is not None and (problem := pdf_problem(pdf)):
        problems.append(problem)
    if effective_on is None:
        problems.append(_("Give the date from which this version is in effect."))
    return problems


def _same_pdf(upload, stored) -> bool:
    if upload is None or not stored:
        return upload is None and not stored
    if stored.size != upload.size:
        return False
    with stored.open("rb") as handle:
        same = handle.read() == upload.read()
    upload.seek(0)
    return same


def _new_version(
    *, rule: Rule, number: int, text: str, pdf, effective_on, change_note: str, by
) -> RuleVersion:
    version = RuleVersion(
        rule=rule,
        version=number,
        text=text,
        effective_on=effective_on,
        change_note=change_note,
        published_by=by,
        search_text=search_text_for(rule.title, text),
    )
    if pdf is not None:
        version.pdf.save(pdf.name.rsplit("/", 1)[-1] or "rule.pdf", pdf, save=False)
    version.save()
    return version


def create_rule(
    *,
    number: str,
    title: str,
    category: str,
    programme: str = "",
    text: str = "",
    pdf=None,
    effective_on: datetime.date,
    change_note: str = "",
    by,
) -> Rule:
    """A new rule with its first version. Refused (nothing written) without a number, title, valid
    category, or text/PDF, or when the number is taken."""
    require(has_duty(by, "unionhub.add_rule"))
    number, title, text, change_note = (
        number.strip(),
        title.strip(),
        (text or "").strip(),
        change_note.strip(),
    )
    problems = []
    if not number:
        problems.append(_("Give the rule's number."))
    if not title:
        problems.append(_("Give the rule's title."))
    if category not in Rule.Category.values:
        problems.append(_("Choose the rule's category."))
    if programme not in Rule.Programme.values:
        problems.append(_("Choose a programme from the list, or none."))
    problems += _version_problems(text=text, pdf=pdf, effective_on=effective_on)
    taken = _("A rule numbered %(number)s already exists.") % {"number": number}
    if number and Rule.objects.filter(number=number).exists():
        problems.append(taken)
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic(), set_actor(by):
            rule = Rule.objects.create(number=number, title=title, category=category, programme=programme)
            _new_version(
                rule=rule,
                number=1,
                text=text,
                pdf=pdf,
                effective_on=effective_on,
                change_note=change_note,
                by=by,
            )
    except IntegrityError:
        if Rule.objects.filter(number=number).exists():  # the same form sent twice at once
            raise ValidationError(taken) from None
        raise
    return rule


def publish_version(
    *, rule: Rule, text: str = "", pdf=None, effective_on: datetime.date, change_note: str = "", by
) -> RuleVersion:
    """The rule's next version. Refused (nothing written) without text or PDF, with a file that is not
    a PDF or is over 10 MB, with an effective date before the latest version's, or when it repeats the
    latest version exactly (the same form sent twice)."""
    require(has_duty(by, "unionhub.add_ruleversion"))
    text, change_note = (text or "").strip(), change_note.strip()
    problems = _version_problems(text=text, pdf=pdf, effective_on=effective_on)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        # The rule's row is the lock: two publishers of the same rule take turns, and the second sees
        # the first one's version (so the numbers follow each other and a repeat is recognised).
        rule = Rule.objects.select_for_update().get(pk=rule.pk)
        latest = rule.versions.order_by("-version").first()
        if latest is not None:
            if effective_on < latest.effective_on:
                raise ValidationError(
                    _("The new version cannot take effect before version %(version)d (%(date)s).")
                    % {"version": latest.version, "date": latest.effective_on.isoformat()}
                )
            if latest.text == text and latest.effective_on == effective_on and _same_pdf(pdf, latest.pdf):
                raise ValidationError(
                    _("Version %(version)d already has this text and date; nothing was published.")
                    % {"version": latest.version}
                )
        return _new_version(
            rule=rule,
            number=(latest.version if latest else 0) + 1,
            text=text,
            pdf=pdf,
            effective_on=effective_on,
            change_note=change_note,
            by=by,
        )


def supersede_rule(*, rule: Rule, by_rule: Rule, by) -> Rule:
    """Mark ``rule`` as replaced outright by ``by_rule``; it stays readable, marked superseded."""
    require(has_duty(by, "unionhub.change_rule"))
    with transaction.atomic(), set_actor(by):
        rule = Rule.objects.select_for_update().get(pk=rule.pk)
        if by_rule.pk == rule.pk:
            raise ValidationError(_("A rule cannot supersede itself."))
        if rule.superseded_by_id is not None:
            raise ValidationError(
                _("%(rule)s is already superseded by %(other)s.")
                % {"rule": rule.number, "other": rule.superseded_by.number}
            )
        replacement = Rule.objects.get(pk=by_rule.pk)
        if replacement.superseded_by_id is not None:
            raise ValidationError(
                _("%(rule)s is itself superseded; choose a rule in force.") % {"rule": replacement.number}
            )
        rule.superseded_by = replacement
        rule.save(update_fields=["superseded_by"])
    return rule


# --- search ------------------------------------------------------------------------------------


def search_terms(query: str) -> list[str]:
    """The query's words (split on any whitespace, the ideographic space included), normalised, each once."""
    return list(dict.fromkeys(normalise((query or "")[:MAX_QUERY_LENGTH]).split()))[:MAX_TERMS]


_MARKUP = [
    (re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I), " "),  # never shown, as in the rendering
    (re.compile(r"</?[a-zA-Z][^>]*>"), " "),  # raw HTML tags
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: their words
    (re.compile(r"^[ \t]{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])[ \t]+", re.M), ""),  # heading, quote, list markers
    (re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}.*$", re.M), " "),  # table rule lines
    (re.compile(r"\*\*|__|[*`|]"), " "),  # emphasis, code, table cells
]


def _snippet_source(text: str) -> str:
    """Markdown to readable words, roughly and cheaply (snippets only; the search itself looks in
    ``search_text``)."""
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def _normalised_positions(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the character it came from."""
    folded = normalise(text)
    if len(folded) == len(text):
        return folded, list(range(len(text)))
    parts, index = [], []
    for i, char in enumerate(text):
        piece = normalise(char)
        parts.append(piece)
        index.extend([i] * len(piece))
    return "".join(parts), index


def _spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where the terms occur in ``text`` (original positions), merged, in order."""
    folded, index = _normalised_positions(text)
    found = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            end = start + len(term) - 1
            found.append((index[start], index[min(end, len(index) - 1)] + 1))
            start = folded.find(term, start + len(term))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: Sequence[str], spans: list[tuple[int, int]] | None = None) -> SafeString:
    """``text`` escaped, with every occurrence of a term wrapped in ``<mark>``."""
    spans = _spans(text, terms) if spans is None else spans
    out, at = [], 0
    for start, end in spans:
        out.append(escape(text[at:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def snippet(text: str, terms: Sequence[str]) -> SafeString:
    """A short passage of the text around the first hit (the text's beginning when only the title
    matched), the hits marked and everything else escaped."""
    plain = _snippet_source(text)
    spans = _spans(plain, terms)
    start = max(0, spans[0][0] - SNIPPET_BEFORE) if spans else 0
    end = min(len(plain), start + SNIPPET_LENGTH)
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
    body = highlight(plain[start:end], terms, inside)
    return mark_safe(("…" if start else "") + body + ("…" if end < len(plain) else ""))  # noqa: S308


@dataclasses.dataclass
class RuleHit:
    """One rule found: the version whose text matched (the current one when it did), marked up."""

    rule_id: int
    number: str
    title: str
    category: str
    version_pk: int
    version: int
    effective_on: datetime.date
    state: str  # current / superseded / upcoming
    rule_superseded: bool
    title_hits: int
    title_html: SafeString = mark_safe("")
    snippet: SafeString = mark_safe("")
    has_pdf: bool = False

    @property
    def category_label(self) -> str:
        return Rule.Category(self.category).label

    @property
    def url(self) -> str:
        if self.state == "current":
            return reverse("rules:rule_detail", kwargs={"pk": self.rule_id})
        return reverse("rules:version_detail", kwargs={"pk": self.rule_id, "version": self.version})


class RuleSearch(Sequence):
    """The rules found, ranked (title hits first, then by number). The database finds them; the texts
    are read, and the snippets made, only for the slice that is shown (a paginator's page)."""

    def __init__(self, terms: list[str], hits: list[RuleHit]):
        self.terms, self._hits, self._done = terms, hits, set()

    def __len__(self):
        return len(self._hits)

    def count(self) -> int:
        return len(self._hits)

    def __getitem__(self, item):
        if isinstance(item, slice):
            hits = self._hits[item]
            self._finish(hits)
            return hits
        hit = self._hits[item]
        self._finish([hit])
        return hit

    def _finish(self, hits: list[RuleHit]) -> None:
        unfinished = [hit for hit in hits if hit.version_pk not in self._done]
        if not unfinished:
            return
        texts = dict(
            RuleVersion.objects.filter(pk__in=[hit.version_pk for hit in unfinished]).values_list(
                "pk", "text"
            )
        )
        for hit in unfinished:
            hit.title_html = highlight(hit.title, self.terms)
            hit.snippet = snippet(texts.get(hit.version_pk, ""), self.terms)
            self._done.add(hit.version_pk)


def search_rules(
    query: str,
    *,
    include_superseded: bool = False,
    category: str | None = None,
    today: datetime.date | None = None,
) -> RuleSearch:
    """Rules whose title or text holds every word of the query (a substring each, so Chinese words
    match inside sentences). By default the current text of the rules in force; with
    ``include_superseded`` also superseded and upcoming versions and superseded rules (one hit per rule:
    its current version when that matches, else its latest matching version)."""
    today = today or timezone.localdate()
    terms = search_terms(query)
    if not terms:
        return RuleSearch([], [])
    current_pk = _in_effect(today, "rule").values("pk")[:1]
    versions = RuleVersion.objects.all()
    for term in terms:
        versions = versions.filter(search_text__contains=term)
    if category:
        versions = versions.filter(rule__category=category)
    if include_superseded:
        versions = versions.annotate(current_pk=Subquery(current_pk))
    else:
        versions = versions.filter(rule__superseded_by__isnull=True, pk=Subquery(current_pk))
    rows = versions.values_list(
        "pk",
        "version",
        "effective_on",
        "pdf",
        "rule_id",
        "rule__number",
        "rule__title",
        "rule__category",
        "rule__superseded_by_id",
        *(["current_pk"] if include_superseded else []),
    )
    best: dict[int, tuple] = {}
    for row in rows:
        rule_id = row[4]
        is_current = not include_superseded or row[9] == row[0]
        rank = (is_current, row[1])  # the current version first, else the latest matching
        if rule_id not in best or rank > best[rule_id][0]:
            best[rule_id] = (rank, row)
    hits = []
    for (is_current, _number), row in best.values():
        pk, version, effective_on, pdf, rule_id, number, title, category_value, superseded_by, *_rest = row
        state = "current" if is_current else ("upcoming" if effective_on > today else "superseded")
        folded_title = normalise(title)
        hits.append(
            RuleHit(
                rule_id=rule_id,
                number=number,
                title=title,
                category=category_value,
                version_pk=pk,
                version=version,
                effective_on=effective_on,
                state=state,
                rule_superseded=superseded_by is not None,
                has_pdf=bool(pdf),
                title_hits=sum(term in folded_title for term in terms),
            )
        )
    hits.sort(key=lambda hit: (-hit.title_hits, hit.number))
    return RuleSearch(terms, hits)
