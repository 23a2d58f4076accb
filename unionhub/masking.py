"""Masking of personal information (PIPL): ID numbers and phones are never shown whole by default."""


def mask_id_number(value: str | None) -> str:
    """``330481197001011234`` → ``3304**********1234``: the first four and last four characters."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    """``13812341234`` → ``138****1234``; landlines keep their area code and last four digits."""
    if not value:
        return ""
    if len(value) <= 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(name: str | None) -> str:
    """``王小明`` → ``王*明``, ``欧阳春晓`` → ``欧**晓``, ``王明`` → ``王*``, ``王`` → ``*``: the first and
    (from three characters) the last character stay — enough for someone who knows the person."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
