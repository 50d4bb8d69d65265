"""Find the article body in plain text saved from a web page.

Text copied or saved from a news page carries the page's chrome: menus,
"Accessibility links", "Breaking News", share buttons, sign-up prompts,
"See comments", "Related", "Back to top", cookie and ``.gov`` banners.
:func:`detect_body` returns the spans of the text that are the article and
leaves the text itself untouched, so mention offsets still count into the
text exactly as read.

The method is jusText's (Pomikálek 2011), adapted to plain text:

1. Split the text into *units*: one per line, or one per blank-line
   separated paragraph when the text is hard-wrapped (:func:`split_units`).
2. Classify each unit on its own features (:func:`classify_unit`):
   ``bad`` (chrome: boilerplate vocabulary, navigation words, link-dominated
   lines, no letters), ``head`` (a headline: short, capitalised, no final
   period), ``good`` (prose: long enough, with function words), ``neargood``
   (shorter prose) or ``short``.
3. Revise by context (:func:`revise`), as jusText does: a short unit between
   two good ones is good, between two bad ones (or a bad one and the edge of
   the page) it is bad; a near-good unit is good unless bad on both sides; a
   headline is kept when the article starts right after it (at most a few
   short lines and one short chrome line, like "Share This Article", in
   between).
4. When the text shows no chrome at all, everything is body (``None``).

Why not call jusText itself: it works on an HTML DOM (it needs tags for
headings and link density), its 3.0.2 release fails to import with lxml 6
unless ``lxml_html_clean`` is installed, and plain text offers features it
does not use (line structure, sentence-final punctuation, capitalisation).
The stop-word list below is a compact English function-word list in the
spirit of jusText's stoplists.

Everything here is a pure function of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

GOOD, NEARGOOD, SHORT, HEAD, BAD = "good", "neargood", "short", "head", "bad"

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves said says say told according since may might
    must shall upon us whether among amid within without across toward towards per via
    yet still however although though including""".split()
)

# Phrases that mark page chrome. Each pattern counts once per unit. They are
# chosen to be rare in news prose ("share" alone is not here: "shares fell").
CHROME_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\baccessibility\b",
        r"\bskip to\b",
        r"\bjump to\b",
        r"\bback to top\b",
        r"\bbreaking news\b",
        r"\b(?:see|show|view|hide|load|read|post|add|no|\d+)\s+(?:all\s+|more\s+)?comments?\b",
        r"\bcomments? \(\d+\)",
        r"\bshare (?:this|on|via|the|article|story|page)\b|\bshare\s*$",
        r"\bsign (?:up|in|out)\b|\blog ?(?:in|out)\b|\bregister now\b",
        r"\bsubscri(?:be|ption)\b",
        r"\bnewsletters?\b",
        r"\bpremium\b",
        r"\bupgrade\b",
        r"\bcookies?\b",
        r"\bprivacy (?:policy|settings|notice)\b",
        r"\bterms (?:of|and) (?:use|service|conditions)\b",
        r"\ball rights reserved\b|©|\(c\) \d{4}",
        r"\badvertisement\b|\bsponsored\b",
        r"\bnavigation\b|\bmain menu\b|\bmenu\b",
        r"\bsearch\b",
        r"\bfollow us\b|\bfollow @",
        r"\bofficial websites?\b|\bsecure websites?\b|\bwebsites? use\b",
        r"\.gov\b",
        r"\bwebsites?\b",
        r"https?://|\bwww\.",
        r"\bfrom wikipedia\b|\bfree encyclopedia\b",
        r"\bfor immediate release\b|\bpress release\b",
        r"\bmedia contact\b|\bcontact\s*:",
        r"\[email\s*protected\]|\b[\w.+-]+@[\w-]+\.[\w.]+\b",
        r"\bclick here\b|\bread more\b|\bcontinue reading\b|\blearn more\b",
        r"\blogo\b|\bprint\b",
        r"\bprevious\b.*\bnext\b",
        r"\byour opinion\b|\bleave a comment\b",
        r"\bhere's how you know\b|\bhere’s how you know\b",
        r"\bdownload (?:the|our) app\b|\bget the app\b",
        r"\bmost (?:read|popular|viewed)\b|\btrending\b",
        r"\b(?:facebook|twitter|linkedin|whatsapp|pinterest|reddit|telegram)\b.*\b(?:facebook|twitter|linkedin|whatsapp|pinterest|reddit|telegram|email)\b",
        r"\bcopy link\b|\blink copied\b",
    )
)


# Every CHROME_PATTERNS match contains one of these (lower-case) substrings:
# a cheap test that spares the regular expressions on most lines.
_CHROME_TRIGGERS = (
    "access", "skip", "jump", "back to", "breaking", "comment", "share", "sign", "log", "regist",
    "subscri", "newsletter", "premium", "upgrade", "cookie", "privacy", "terms", "rights", "©", "(c)",
    "advert", "sponsor", "navigat", "menu", "search", "follow", "website", ".gov", "http", "www.",
    "wikipedia", "encyclop", "release", "contact", "email", "@", "click", "read", "learn", "print",
    "previous", "opinion", "how you know", "download", "get the app", "most", "trending", "facebook",
    "twitter", "linkedin", "whatsapp", "pinterest", "reddit", "telegram", "link",
)


def chrome_hits(text: str) -> int:
    """How many of :data:`CHROME_PATTERNS` occur in ``text``."""
    low = text.lower()
    if not any(t in low for t in _CHROME_TRIGGERS):
        return 0
    return sum(1 for p in CHROME_PATTERNS if p.search(text))


# Whole units that are navigation when they stand alone.
NAV_LINES = frozenset(
    """related recommended languages language menu search home share print email comments
    more next previous top trending popular latest world business opinion sections
    subscribe login logout register newsletter newsletters advertisement sponsored
    video videos photos gallery podcasts live watch listen tags topics""".split()
)

_WORD_STRIP = "\"'“”‘’«»()[]{}<>.,;:!?…*_#|•·–—-/\\"
_CLOSERS = "\"'”’»)]} *_"
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_BARE_URL = re.compile(r"https?://\S+|www\.\S+")
_MD_PREFIX = re.compile(r"^(?:#{1,6}\s+|>\s*|[-*+•·]\s+|\d{1,3}[.)]\s+)+")
_ATX = re.compile(r"^#{1,6}\s+\S")
_LINE = re.compile(r"[^\r\n]+")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_WS = " \t\f\v\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\ufeff\u200b"

#: A headline is kept when the article starts within this many units after it.
MAX_HEAD_GAP = 3
#: ... and at most one chrome unit of at most this many words lies in between.
MAX_HEAD_GAP_BAD_WORDS = 4


@dataclass(frozen=True)
class Unit:
    """A line (or a paragraph of a hard-wrapped text) with its features."""

    start: int  # span of the unit in the text, surrounding whitespace excluded
    end: int
    words: int  # tokens containing a letter
    stop_density: float  # share of those that are function words
    cap_ratio: float  # share of content words that start with a capital
    sentence_end: bool  # ends with . ! ? … (before closing quotes/brackets)
    chrome_hits: int  # how many CHROME_PATTERNS match
    nav: bool  # the whole unit is a navigation word
    link_density: float  # share of characters inside links / URLs
    atx: bool  # a Markdown "# heading"
    letters: bool  # contains any letter
    cls: str  # the class from the unit's own features


def _lines(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines, surrounding whitespace excluded."""
    spans = []
    for m in _LINE.finditer(text):
        s, e = m.span()
        while s < e and text[s] in _WS:
            s += 1
        while e > s and text[e - 1] in _WS:
            e -= 1
        if s < e:
            spans.append((s, e))
    return spans


def _ends_sentence(t: str) -> bool:
    return t.rstrip(_CLOSERS).endswith((".", "!", "?", "…"))


def is_hard_wrapped(text: str, lines: Sequence[tuple[int, int]] | None = None) -> bool:
    """True when paragraphs are broken into lines of a fixed width.

    Such text has no line over 100 characters, and most line breaks inside
    a blank-line separated paragraph fall after a line that does not end a
    sentence.
    """
    lines = _lines(text) if lines is None else lines
    if len(lines) < 3 or max(e - s for s, e in lines) > 100:
        return False
    inner = mid = 0
    for (s1, e1), (s2, _) in zip(lines, lines[1:]):
        if len(_NEWLINE.findall(text, e1, s2)) >= 2:
            continue  # paragraph break
        inner += 1
        if not _ends_sentence(text[s1:e1]) and e1 - s1 >= 30:
            mid += 1
    return inner >= 3 and mid * 2 >= inner


def split_units(text: str) -> list[tuple[int, int]]:
    """The units the classifier looks at: lines, or paragraphs of wrapped text."""
    lines = _lines(text)
    if not is_hard_wrapped(text, lines):
        return lines
    units: list[tuple[int, int]] = []
    for s, e in lines:
        if units and len(_NEWLINE.findall(text, units[-1][1], s)) < 2:
            units[-1] = (units[-1][0], e)
        else:
            units.append((s, e))
    return units


def _norm_word(tok: str) -> str:
    return tok.strip(_WORD_STRIP).lower()


def classify_unit(text: str, start: int = 0, end: int | None = None) -> Unit:
    """Features and initial class of ``text[start:end]``."""
    end = len(text) if end is None else end
    raw = text[start:end]
    plain = _MD_PREFIX.sub("", raw)
    link_chars = sum(len(m.group(0)) for m in _MD_LINK.finditer(plain))
    link_chars += sum(len(m.group(0)) for m in _BARE_URL.finditer(_MD_LINK.sub(" ", plain)))
    link_density = link_chars / max(len(plain), 1)
    visible = _MD_LINK.sub(r"\1", plain)
    words = [t for t in visible.split() if any(c.isalpha() for c in t)]
    normed = [_norm_word(w) for w in words]
    n = len(words)
    stops = sum(1 for w in normed if w in STOPWORDS)
    content = [w for w, nw in zip(words, normed) if nw not in STOPWORDS]
    caps = 0
    for w in content:
        first = next((c for c in w if c.isalnum()), "")
        caps += first.isupper() or first.isdigit()
    cap_ratio = caps / len(content) if content else 0.0
    stop_density = stops / n if n else 0.0
    sentence_end = _ends_sentence(visible)
    hits = chrome_hits(visible) if n <= 40 else 0  # longer units are never chrome by vocabulary
    nav = 1 <= n <= 3 and any(w in NAV_LINES for w in normed) and all(
        w in NAV_LINES or w in {"and", "the", ""} for w in normed
    )
    atx = bool(_ATX.match(raw))
    letters = n > 0

    if not letters:
        cls = BAD
    elif link_density >= 0.5 or nav:
        cls = BAD
    elif hits >= 2 and n <= 40:
        cls = BAD
    elif hits >= 1 and n <= 12 and not (sentence_end and n >= 6 and stop_density >= 0.2):
        cls = BAD
    elif atx and n <= 30:
        cls = HEAD
    elif (
        2 <= n <= 30
        and not visible.rstrip(_CLOSERS).endswith((".", ":", ";", ","))
        and (visible.lstrip(_WORD_STRIP)[:1].isupper() or visible.lstrip(_WORD_STRIP)[:1].isdigit())
        and cap_ratio >= 0.6
    ):
        cls = HEAD
    elif (
        (n >= 15 and stop_density >= 0.15)
        or (n >= 30 and stop_density >= 0.08)  # long, name-heavy lines: photo captions
        or (n >= 8 and sentence_end and stop_density >= 0.2)
    ):
        cls = GOOD
    elif (n >= 6 and stop_density >= 0.15) or (n >= 5 and sentence_end) or n >= 15:
        cls = NEARGOOD
    else:
        cls = SHORT
    return Unit(
        start=start,
        end=end,
        words=n,
        stop_density=stop_density,
        cap_ratio=cap_ratio,
        sentence_end=sentence_end,
        chrome_hits=hits,
        nav=nav,
        link_density=link_density,
        atx=atx,
        letters=letters,
        cls=cls,
    )


def is_chrome_evidence(u: Unit) -> bool:
    """A unit that shows the text is a saved page (not merely a line without letters)."""
    return u.cls == BAD and u.letters


def _neighbour(classes: Sequence[str], i: int, step: int, ignore_neargood: bool) -> str:
    j = i + step
    skip = {SHORT, HEAD, NEARGOOD} if ignore_neargood else {SHORT, HEAD}
    while 0 <= j < len(classes):
        if classes[j] not in skip:
            return classes[j]
        j += step
    return BAD  # the edge of the page counts as chrome, as in jusText


def revise(units: Sequence[Unit]) -> list[str]:
    """Final class (``good`` or ``bad``) of each unit, by context."""
    initial = [u.cls for u in units]
    classes = list(initial)
    # short units (and headlines, for now) take the class of their surroundings
    for i, c in enumerate(initial):
        if c not in (SHORT, HEAD):
            continue
        prev = _neighbour(initial, i, -1, True)
        nxt = _neighbour(initial, i, 1, True)
        if prev == nxt:
            classes[i] = prev
        elif (prev == BAD and _neighbour(initial, i, -1, False) == NEARGOOD) or (
            nxt == BAD and _neighbour(initial, i, 1, False) == NEARGOOD
        ):
            classes[i] = GOOD
        else:
            classes[i] = BAD
    # near-good units are good unless chrome lies on both sides
    after_short = list(classes)
    for i, c in enumerate(after_short):
        if c != NEARGOOD:
            continue
        prev = _neighbour(after_short, i, -1, True)
        nxt = _neighbour(after_short, i, 1, True)
        classes[i] = BAD if (prev, nxt) == (BAD, BAD) else GOOD
    # a headline right before the article is part of it (right to left, so
    # a stack of headline + sub-headlines is kept together)
    for i in range(len(units) - 1, -1, -1):
        if initial[i] != HEAD or classes[i] == GOOD:
            continue
        gap = bad_seen = 0
        for j in range(i + 1, len(units)):
            if classes[j] == GOOD:
                classes[i] = GOOD
                break
            if initial[j] == BAD:
                if bad_seen or units[j].words > MAX_HEAD_GAP_BAD_WORDS:
                    break
                bad_seen += 1
            elif initial[j] not in (SHORT, HEAD):
                break
            gap += 1
            if gap > MAX_HEAD_GAP:
                break
    return classes


def _merge(text: str, spans: Sequence[tuple[int, int]], keep: Sequence[bool]) -> tuple[tuple[int, int], ...]:
    """Spans of the kept units; neighbours with only whitespace between are joined."""
    out: list[tuple[int, int]] = []
    prev_kept = False
    for (s, e), k in zip(spans, keep):
        if k:
            if out and prev_kept:
                out[-1] = (out[-1][0], e)
            else:
                out.append((s, e))
        prev_kept = k
    return tuple(out)


@dataclass(frozen=True)
class BodyAnalysis:
    """The units of a text, their classes and the resulting body spans."""

    units: tuple[Unit, ...]
    classes: tuple[str, ...]
    body: tuple[tuple[int, int], ...] | None  # None: the whole text is body

    @property
    def has_chrome(self) -> bool:
        return any(is_chrome_evidence(u) for u in self.units)


def analyse(text: str) -> BodyAnalysis:
    """Classify the units of ``text`` and choose the body."""
    spans = split_units(text)
    units = tuple(classify_unit(text, s, e) for s, e in spans)
    if not any(is_chrome_evidence(u) for u in units):
        return BodyAnalysis(units, tuple(GOOD for _ in units), None)
    classes = revise(units)
    if GOOD not in classes:
        # nothing reads like an article: keep whatever is not plainly chrome
        classes = [BAD if u.cls == BAD else GOOD for u in units]
    keep = [c == GOOD for c in classes]
    return BodyAnalysis(units, tuple(classes), _merge(text, spans, keep))


def detect_body(text: str) -> tuple[tuple[int, int], ...] | None:
    """Spans ``(start, end)`` of ``text`` that are the article body.

    ``None`` means the whole text (no page chrome found). Spans are sorted,
    non-overlapping, within ``0..len(text)``, and never start or end in
    whitespace.

    >>> t = "Skip to main content\\n\\nTariffs Rise Again\\n\\n" + (
    ...     "The government raised tariffs on steel imports on Monday, officials said.\\n\\n"
    ...     "Back to top\\n")
    >>> [t[s:e] for s, e in detect_body(t)]
    ['Tariffs Rise Again\\n\\nThe government raised tariffs on steel imports on Monday, officials said.']
    >>> detect_body("A plain article. It has no chrome at all.") is None
    True
    """
    return analyse(text).body


def body_text(text: str, body: tuple[tuple[int, int], ...] | None) -> str:
    """The body spans joined by blank lines (for display and debugging)."""
    if body is None:
        return text
    return "\n\n".join(text[s:e] for s, e in body)
