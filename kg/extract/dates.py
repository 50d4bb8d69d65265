"""Relative and partial dates in news text, resolved against the document date.

``resolve_date("April 26", date(2025, 5, 2))`` → ``"2025-04-26"`` (an
``xsd:date``); ``"earlier this month"`` → ``"2025-05"`` (``xsd:gYearMonth``);
``"last month"`` → ``"2025-04"``; ``"Friday"`` → the last Friday on or
before the anchor. Without an anchor only self-contained dates resolve
("April 26, 2025", "July 2018"). ``None`` when nothing can be said.

Written here rather than with ``dateparser`` because news needs the anchor
rules above (a bare "April 26" in a May article is last April, never next),
and the set of phrases is small and closed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from kg.extract import lexicon as L


MONTHS = {m: i for i, m in enumerate(L.MONTHS, 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS.update({a: MONTHS[a[:3]] for a in L.MONTH_ABBREVIATIONS})
WEEKDAYS = {d: i for i, d in enumerate(L.WEEKDAYS)}

_MONTH = r"(" + L.alternation(MONTHS) + r")\.?"
_LEADING = re.compile(r"^(" + L.alternation(L.DATE_LEADING_WORDS) + r")\s+")
_MONTH_PART = r"(?:" + L.alternation(L.MONTH_PARTS) + r")?"
_THIS_MONTH = re.compile(r"\b(" + L.alternation(L.THIS_MONTH) + r")\s+month\b")
_LAST_MONTH = re.compile(r"\b(" + L.alternation(L.LAST_MONTH) + r")\s+month\b")
_WEEKDAY = re.compile(r"\b(?:last\s+)?(" + L.alternation(WEEKDAYS) + r")\b")
_FUTURE = re.compile(r"\b(" + L.alternation(L.FUTURE_WORDS) + r")\b")


def _month(name: str) -> int:
    key = name.rstrip(".").lower()
    return MONTHS.get(key) or MONTHS[key[:3]]


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _year_for(month: int, anchor: date | None, explicit: str | None, ahead: bool = False) -> int | None:
    if explicit:
        return int(explicit)
    if anchor is None:
        return None
    if ahead:  # what is scheduled lies ahead: a month before the anchor's month is next year's
        return anchor.year if month >= anchor.month else anchor.year + 1
    # news reports the past: a month after the anchor's month is last year's
    return anchor.year if month <= anchor.month else anchor.year - 1


def resolve_date(text: str, anchor: date | None, ahead: bool = False) -> str | None:
    """Resolve a date expression (see module doc).

    >>> a = date(2025, 5, 2)
    >>> resolve_date("April 26", a), resolve_date("earlier this month", a), resolve_date("last month", a)
    ('2025-04-26', '2025-05', '2025-04')
    >>> resolve_date("in early April", a), resolve_date("Friday", a), resolve_date("July 6", a)
    ('2025-04', '2025-05-02', '2024-07-06')
    >>> resolve_date("April 26", None) is None, resolve_date("Feb. 24, 2022", None)
    (True, '2022-02-24')

    ``ahead=True`` reads a scheduled date ("will take effect on June 1", "from Monday"):
    a bare date falls on or after the anchor.

    >>> resolve_date("June 1", a, ahead=True), resolve_date("from January 15", a, ahead=True)
    ('2025-06-01', '2026-01-15')
    >>> resolve_date("Monday", a, ahead=True), resolve_date("Monday", a)
    ('2025-05-05', '2025-04-28')
    """
    t = text.casefold().strip()
    t = _LEADING.sub("", t)
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", t)
    if m:
        return m.group(0)
    m = re.search(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", t)
    if m:
        month = _month(m.group(1))
        y = _year_for(month, anchor, m.group(3), ahead)
        day = int(m.group(2))
        if y is None or not 1 <= day <= 31:
            return None
        try:
            return date(y, month, day).isoformat()
        except ValueError:
            return None
    m = re.search(r"\b(\d{1,2})\s+" + _MONTH + r"(?:\s+(\d{4}))?\b", t)
    if m:
        month = _month(m.group(2))
        y = _year_for(month, anchor, m.group(3), ahead)
        if y is None:
            return None
        try:
            return date(y, month, int(m.group(1))).isoformat()
        except ValueError:
            return None
    m = re.search(_MONTH_PART + r"\s*" + _MONTH + r"(?:\s+(\d{4}))?$", t)
    if m:
        month = _month(m.group(1))
        y = _year_for(month, anchor, m.group(2), ahead)
        return _ym(y, month) if y else None
    if anchor is None:
        return None
    if _THIS_MONTH.search(t):
        return _ym(anchor.year, anchor.month)
    if _LAST_MONTH.search(t):
        y, mth = (anchor.year, anchor.month - 1) if anchor.month > 1 else (anchor.year - 1, 12)
        return _ym(y, mth)
    if t in L.TODAY:
        return anchor.isoformat()
    if t in L.YESTERDAY:
        return (anchor - timedelta(days=1)).isoformat()
    m = _WEEKDAY.search(t)
    if m and ahead and not t.startswith("last"):
        return (anchor + timedelta(days=(WEEKDAYS[m.group(1)] - anchor.weekday()) % 7)).isoformat()
    if m and not _FUTURE.search(t):
        back = (anchor.weekday() - WEEKDAYS[m.group(1)]) % 7
        if t.startswith("last") and back == 0:
            back = 7
        return (anchor - timedelta(days=back)).isoformat()
    return None


def parse_anchor(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
