"""Title, date and URL of a plain-text or Markdown article (pure functions).

Rules (documented in docs/ingest.md):

* **Title** of a ``.md``: the YAML front matter ``title:``, else the first
  ``# heading`` (level 1), else the first heading of any level. Of a ``.txt``
  (and a ``.md`` without headings): the headline kept just above the article
  body (see :mod:`kg.ingest.body`), else the first non-blank line when it
  looks like a headline (2 to 20 words, starts with a capital or a digit,
  does not end with a period, is not page chrome), else ``None``.
* **Date**: a labelled line among the first 40 (``Date:``, ``Published:``,
  ``Posted:``, ``Updated:``, front matter ``date:``), else a full date on a
  short line that is not article prose among the first 30 units (a dateline
  such as ``FOR IMMEDIATE RELEASE | Thursday, April 11, 2024``), else the
  caller's default. Dates inside prose (photo captions, "on March 14, 2022")
  are not used: they date events, not the article.
* **URL**: a labelled line (``URL:``, ``Source:``, ``Link:``, ``Canonical:``)
  among the first 40 lines, or front matter ``url:``.
"""

from __future__ import annotations

import datetime as _dt
import re

from kg.ingest.body import GOOD, HEAD, BodyAnalysis, is_chrome_evidence

_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_MONTH_RE = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?!\d)"),
    re.compile(_MONTH_RE + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)", re.I),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_RE + r",?\s+(?P<y>\d{4})(?!\d)", re.I),
)
_LABELLED_DATE = re.compile(
    r"^\s*(?:date|dated|published|posted|updated|last updated|published on|date published)\s*[:\-–—]\s*(?P<v>.+)$",
    re.I,
)
_LABELLED_URL = re.compile(r"^\s*(?:url|source|link|canonical|original)\s*:\s*(?P<v>https?://\S+)\s*$", re.I)
_ATX = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<t>.+?)\s*#*\s*$")
_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<body>.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: str) -> str | None:
    """The first full calendar date in ``value`` as ISO ``YYYY-MM-DD``, else ``None``.

    >>> parse_date("Thursday, April 11, 2024 | Media Contact")
    '2024-04-11'
    >>> parse_date("2022-02-24T10:00:00Z"), parse_date("24 Feb. 2022"), parse_date("soon")
    ('2022-02-24', '2022-02-24', None)
    """
    for pat in _DATE_PATTERNS:
        for m in pat.finditer(value):
            g = m.groupdict()
            month = _MONTHS[g["mon"].lower()[:3]] if g.get("mon") else int(g["m"])
            try:
                return _dt.date(int(g["y"]), month, int(g["d"])).isoformat()
            except ValueError:
                continue
    return None


def is_iso_date(value: str) -> bool:
    """True for a valid ``YYYY-MM-DD`` calendar date."""
    if not _ISO.match(value):
        return False
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def front_matter(text: str) -> dict[str, str]:
    """``key: value`` pairs of a leading YAML front matter block (flat keys only)."""
    m = _FRONT.match(text)
    if not m:
        return {}
    out: dict[str, str] = {}
    for line in m.group("body").splitlines():
        k, sep, v = line.partition(":")
        if sep and k.strip() and not k.startswith((" ", "\t", "-", "#")):
            out.setdefault(k.strip().lower(), v.strip().strip("'\""))
    return out


def markdown_title(text: str) -> str | None:
    """Front matter ``title``, else the first level-1 heading, else the first heading."""
    fm = front_matter(text).get("title")
    if fm:
        return fm
    first_any = None
    in_fence = False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        m = _ATX.match(line.strip())
        if m and m.group("t").strip():
            t = m.group("t").strip()
            if len(m.group("hashes")) == 1:
                return t
            first_any = first_any or t
    return first_any


def _headline_like(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 20
        and (line[:1].isupper() or line[:1].isdigit())
        and not line.rstrip("\"'”’)] ").endswith((".", ",", ";", ":"))
    )


def text_title(text: str, analysis: BodyAnalysis) -> str | None:
    """Title of a plain text, by the rules in the module docstring."""
    units = analysis.units
    for u, c in zip(units, analysis.classes):
        if u.cls == GOOD:
            break
        if u.cls == HEAD and c == GOOD:
            return " ".join(text[u.start : u.end].lstrip("#").split())
    if units:
        u = units[0]
        line = " ".join(text[u.start : u.end].split())
        if not is_chrome_evidence(u) and u.cls != GOOD and _headline_like(line):
            return line
    return None


def text_date(text: str, analysis: BodyAnalysis) -> str | None:
    """Date of a plain text, by the rules in the module docstring."""
    fm = front_matter(text).get("date")
    if fm and parse_date(fm):
        return parse_date(fm)
    for line in text.splitlines()[:40]:
        m = _LABELLED_DATE.match(line)
        if m and (d := parse_date(m.group("v"))):
            return d
    for u in analysis.units[:30]:
        if u.cls == GOOD or u.words > 15:
            continue  # prose: its dates are the events'
        d = parse_date(text[u.start : u.end])
        if d:
            return d
    return None


def text_url(text: str) -> str | None:
    """URL of a plain text, by the rules in the module docstring."""
    fm = front_matter(text).get("url")
    if fm and fm.startswith(("http://", "https://")):
        return fm
    for line in text.splitlines()[:40]:
        m = _LABELLED_URL.match(line)
        if m:
            return m.group("v")
    return None
