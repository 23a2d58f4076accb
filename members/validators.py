"""Validation of the identifiers the registry keeps, with messages that name what is wrong.

Resident ID numbers (GB 11643-1999) are checked for length, characters, province code, birth
date and the ISO 7064 MOD 11-2 check character. Unlike ``stdnum.cn.ric.validate`` we do not
check the county code against the date of birth: codes are those in force when the card was
issued, so a Haining worker born in 1970 rightly holds 330481…, a code created in 1986.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.iso7064 import mod_11_2

# Province-level codes of GB/T 2260, plus 81/82/83 used on residence permits of
# Hong Kong, Macao and Taiwan residents.
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９ＸｘＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＹ", "0123456789XXABCDEFGHJKLMNPQRTUWY"
)
_SPACES = re.compile(r"[\s\-\u3000]+")


def id_check_character(body: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits of an ID number.

    (Not ``stdnum.cn.ric.calc_check_digit``, which expects the number *with* its check character
    and ignores the last character it is given.)"""
    return mod_11_2.calc_check_digit(body)


def normalise_code(value: str) -> str:
    """Full-width digits to half-width, spaces and dashes removed, upper case."""
    return _SPACES.sub("", str(value).translate(_FULLWIDTH)).upper()


def clean_resident_id(value: str) -> str:
    """Return the normalised 18-character ID number or raise ``ValidationError`` naming the fault."""
    number = normalise_code(value)
    if len(number) == 15 and number.isdigit():
        raise ValidationError(
            _("This is an old 15-digit ID number; please enter the 18-digit number."), code="old_format"
        )
    if len(number) != 18:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(count)d.") % {"count": len(number)},
            code="length",
        )
    # isascii(): str.isdigit() also says yes to "²", which int() then refuses.
    if not number.isascii() or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("An ID number is 17 digits followed by a digit or X."), code="format")
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("The ID number starts with %(code)s, which is not a province code.") % {"code": number[:2]},
            code="province",
        )
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date in the ID number (%(digits)s) is not a real date.") % {"digits": number[6:14]},
            code="birth_date",
        ) from None
    if birth.year < 1900 or birth > timezone.localdate():
        raise ValidationError(
            _("The birth date in the ID number (%(date)s) is impossible.") % {"date": birth.isoformat()},
            code="birth_date",
        )
    if number[17] != id_check_character(number[:17]):
        raise ValidationError(checksum_message(number), code="checksum")
    return number


# A worker's ID number: born from 1930 and at least 16 (the legal working age) today.
EARLIEST_PLAUSIBLE_BIRTH = datetime.date(1930, 1, 1)
WORKING_AGE = 16


def swapped_digit_positions(number: str) -> list[int]:
    """The 1-based positions N for which swapping digits N and N+1 (both among the first 17) turns
    ``number`` into a valid ID number with a plausible worker's birth date. The check character is
    never touched: a mistyped number is found by comparing it with the card, not by "fixing" its
    last character (which would make a wrong number pass)."""
    number = normalise_code(number)
    if len(number) != 18 or not number.isascii() or not number[:17].isdigit():
        return []
    today = timezone.localdate()
    try:
        latest = today.replace(year=today.year - WORKING_AGE)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year - WORKING_AGE, day=28)
    found = []
    for i in range(16):
        a, b = number[i], number[i + 1]
        if a == b:
            continue
        body = number[:i] + b + a + number[i + 2 : 17]
        if body[:2] not in PROVINCE_CODES or id_check_character(body) != number[17]:
            continue
        try:
            birth = datetime.date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
        except ValueError:
            continue
        if EARLIEST_PLAUSIBLE_BIRTH <= birth <= latest:
            found.append(i + 1)
    return found


def checksum_message(number: str, *, row: int | None = None, name: str = "") -> str:
    """What to say about an ID number that fails its check character: the row and the person when
    known, "compare it with the card digit by digit", and — only when exactly one swap of two
    neighbouring digits would make it valid — which two. Never what the last character "should be"."""
    if row is not None and name:
        text = _(
            "Row %(row)s (%(name)s): the ID number fails its check; please compare it with the ID card "
            "digit by digit."
        ) % {"row": row, "name": name}
    elif row is not None:
        text = _(
            "Row %(row)s: the ID number fails its check; please compare it with the ID card digit by digit."
        ) % {"row": row}
    else:
        text = _("The ID number fails its check; please compare it with the ID card digit by digit.")
    swaps = swapped_digit_positions(number)
    if len(swaps) == 1:
        text += _(" Digits %(first)s and %(second)s may have been swapped.") % {
            "first": swaps[0],
            "second": swaps[0] + 1,
        }
    return text


def birth_date_from_id(number: str) -> datetime.date:
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex_from_id(number: str) -> str:
    """``M`` or ``F``: the 17th digit is odd for men and even for women."""
    return "M" if int(number[16]) % 2 else "F"


def clean_credit_code(value: str) -> str:
    """The unified social credit code (统一社会信用代码, GB 32100-2015), check character included."""
    code = normalise_code(value)
    try:
        return uscc.validate(code)
    except InvalidLength:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d.")
            % {"count": len(code)},
            code="length",
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("The check character of the unified social credit code is wrong."), code="checksum"
        ) from None
    except (InvalidFormat, InvalidComponent):
        raise ValidationError(
            _(
                "This is not a valid unified social credit code (only digits and capital "
                "letters other than I, O, Z, S, V are allowed)."
            ),
            code="format",
        ) from None


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")


def clean_mobile(value: str) -> str:
    number = normalise_code(value).removeprefix("+86")
    if not _MOBILE.match(number):
        raise ValidationError(_("A mobile number has 11 digits and starts with 13–19."), code="mobile")
    return number


def clean_phone(value: str) -> str:
    """A mobile or a landline with its area code (0573-87654321)."""
    number = normalise_code(value).removeprefix("+86")
    if _MOBILE.match(number) or _LANDLINE.match(number):
        return number
    raise ValidationError(
        _("Enter a mobile number or a landline with its area code, e.g. 0573-87654321."), code="phone"
    )
