"""Redaction of the complainant's identity in the free texts of a case (description, timeline, outcome).

Caseworkers type what they hear: "李 明", "李　明", "李先生", "小明"; "139 1234 5678", "139-1234-5678",
"+86 139…", "１３９…", "尾号12345678"; an ID number in groups, with full-width digits or a lower-case x,
or only its last digits. Replacing the stored strings exactly misses all of these, so each value is
turned into one regular expression that accepts them:

- every character may be separated from the next by spaces (also full-width), dots, dashes, middle
  dots or brackets, and an ASCII character matches its full-width form and either case;
- a name also matches its given name alone (when it has two characters or more), and the surname with a
  form of address (李先生, 李女士, 老李, 小李…);
- a phone also matches with a +86/0086 prefix, its first seven digits and its last eight;
- an ID number also matches its first fourteen characters (region and birth date) and its last six or
  more.

Digits are matched whole: a run of digits that merely contains a secret's digits is left alone, and so is
ordinary text. What the mask already shows (a phone's or an ID's last four, a name's surname alone) is not
a secret and is not replaced."""

import re
from functools import lru_cache

from django.utils.translation import gettext as _

from unionhub.masking import mask_id_number, mask_name, mask_phone

# What people put between the characters of a number or a name.
_SEPARATORS = r"[\s\u3000.\-‐‑–—_·•・/,，、()（）]{0,3}"
_NAME_SEPARATORS = r"[\s\u3000.\-_·•・*]{0,2}"
_DIGIT = r"[0-9０-９]"
_NOT_DIGIT_BEFORE = rf"(?<!{_DIGIT})"
_NOT_DIGIT_AFTER = r"(?![0-9０-９xXｘＸ])"

COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "呼延",
    ]
)
ADDRESS_AFTER = ("先生", "女士", "小姐", "师傅", "同志", "某某", "某")
ADDRESS_BEFORE = ("老", "小")

PHONE_PREFIX_KEPT = 7  # 139 1234: the network and the middle block
PHONE_SUFFIX_KEPT = 8  # 1234 5678
ID_PREFIX_KEPT = 14  # region and birth date
ID_SUFFIX_KEPT = 6  # birth day, sequence and check character


def _char(c: str) -> str:
    """One character as a pattern: an ASCII letter or digit also in its full-width form."""
    if "!" <= c <= "~":
        return f"[{re.escape(c)}{chr(ord(c) + 0xFEE0)}]"
    return re.escape(c)


def _spaced(chars: str, separators: str = _SEPARATORS) -> str:
    return separators.join(_char(c) for c in chars)


def _plain(value: str) -> str:
    """The value's own characters: separators and full-width forms folded away, upper case."""
    folded = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in value or "")
    return re.sub(r"[\s\u3000.\-‐‑–—_·•・/,，、()（）+*]", "", folded).upper()


def _number_pattern(digits: str, *, prefix_kept: int, suffix_kept: int, country: bool = False) -> str | None:
    """The number whole, its leading ``prefix_kept``+ and trailing ``suffix_kept``+ characters, each
    between non-digits; longest alternatives first."""
    if len(digits) < min(prefix_kept, suffix_kept):
        return None
    parts = [digits]
    parts += [digits[:n] for n in range(len(digits) - 1, prefix_kept - 1, -1)]
    parts += [digits[-n:] for n in range(len(digits) - 1, suffix_kept - 1, -1)]
    alternatives = "|".join(_spaced(part) for part in parts)
    lead = rf"(?:(?:\+|＋|00|００)?{_SEPARATORS}(?:86|８６){_SEPARATORS})?" if country else ""
    return rf"{_NOT_DIGIT_BEFORE}{lead}(?:{alternatives}){_NOT_DIGIT_AFTER}"


def _split_name(name: str) -> tuple[str, str]:
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def _name_pattern(name: str) -> str | None:
    if len(name) < 2:
        return None
    surname, given = _split_name(name)
    alternatives = [_spaced(name, _NAME_SEPARATORS)]
    if len(given) >= 2:
        alternatives.append(_spaced(given, _NAME_SEPARATORS))
    spaced_surname = _spaced(surname, _NAME_SEPARATORS)
    alternatives += [spaced_surname + _NAME_SEPARATORS + re.escape(word) for word in ADDRESS_AFTER]
    alternatives += [re.escape(word) + spaced_surname for word in ADDRESS_BEFORE]
    return "|".join(f"(?:{a})" for a in alternatives)


@lru_cache(maxsize=256)
def _patterns(name: str, phone: str, id_number: str) -> tuple[tuple[str, re.Pattern], ...]:
    """(kind, pattern) for each secret, ID number first (its digits are the longest run)."""
    found = []
    digits = _plain(id_number)
    if pattern := _number_pattern(digits, prefix_kept=ID_PREFIX_KEPT, suffix_kept=ID_SUFFIX_KEPT):
        found.append(("id_number", re.compile(pattern, re.IGNORECASE)))
    digits = _plain(phone)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if pattern := _number_pattern(
        digits, prefix_kept=PHONE_PREFIX_KEPT, suffix_kept=PHONE_SUFFIX_KEPT, country=True
    ):
        found.append(("phone", re.compile(pattern)))
    if pattern := _name_pattern(_plain(name)):
        found.append(("name", re.compile(pattern, re.IGNORECASE)))
    return tuple(found)


def redact(text: str, *, name: str = "", phone: str = "", id_number: str = "", hide: bool) -> str:
    """``text`` with every form of the name, phone and ID number replaced: by a placeholder (``hide``,
    for a reader who may not see the identity at all) or by the masked value."""
    if not text:
        return text
    replacement = {
        "id_number": _("[ID number]") if hide else mask_id_number(_plain(id_number)),
        "phone": _("[phone]") if hide else mask_phone(_plain(phone)),
        "name": _("[complainant]") if hide else mask_name(name),
    }
    for kind, pattern in _patterns((name or "").strip(), (phone or "").strip(), (id_number or "").strip()):
        text = pattern.sub(lambda _match, kind=kind: replacement[kind], text)
    return text


def redact_case_text(text: str, case, *, hide: bool) -> str:
    """A text of ``case`` with its complainant's identity redacted."""
    return redact(
        text,
        name=case.complainant_name,
        phone=case.complainant_phone,
        id_number=case.complainant_id_number,
        hide=hide,
    )
