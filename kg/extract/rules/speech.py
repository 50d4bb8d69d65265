"""Speech: direct quotations and their speakers, and who spoke to which outlet.

A quotation is text between quotation marks (:data:`kg.extract.lexicon.QUOTE_MARKS`)
of at least two words (one left open at the end of a paragraph goes on in the next,
which opens with a quotation mark again). Its speaker is found by the first ``quote`` rule that
answers, and the :class:`~kg.model.Quote` records which (``kg.quotes.v2:…``):

* ``speech-verb``: the subject of the nearest speech verb in the quotation's
  sentences (""…," he said", "the ministry said: "…""), or the name right after
  an inverted one (""…," said Under Secretary Alan Estevez");
* ``according-to``: the source after "according to", when no speech verb has a subject;
* ``introduced``: a paragraph ending "…, the minister said:" introduces the next one's
  quotation (or, in a press release, the next paragraph itself, unquoted);
* ``carried``: a quotation that is a whole sentence with no speaker of its own is the
  last speaker's of the paragraph, else of the previous paragraph;
* ``following``: a whole-sentence quotation whose speaker only the next sentence names;
* ``continued``: a quotation left open at a paragraph's end is the speaker's of the
  quotation it goes on in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.extract import lexicon as L
from kg.extract.coref import refs, subj_refs
from kg.extract.registry import Match, rule, rules_on
from kg.extract.state import ACTORS, DocState, QuoteSpan
from kg.model import Mention, Quote

QUOTES = "kg.quotes.v2"
QUOTE_CONFIDENCE = 0.85


def quote_spans(text: str, open_ended: bool = False) -> list[tuple[int, int]]:
    """(opening, closing) character offsets of each quotation in ``text``; with
    ``open_ended``, a last quotation left open runs to the end of the text (a quotation that
    goes on in the next paragraph, which opens with a quotation mark again).

    >>> quote_spans('He said "we will talk" and left. “Fine,” she said.')
    [(8, 21), (33, 39)]
    >>> quote_spans('“We will fight,” she said. “We will not stop', open_ended=True)
    [(0, 15), (27, 44)]
    >>> quote_spans('said they “lack basis” and "are not true.”')
    [(10, 21), (27, 41)]
    """
    spans: list[tuple[int, int]] = []
    i = 0
    while (m := _OPENING.search(text, i)) is not None:
        i = m.start()
        j = min((k for k in (text.find(c, i + 1) for c in L.QUOTE_MARKS[text[i]]) if k != -1), default=-1)
        if j == -1:
            if open_ended:
                spans.append((i, len(text)))
            break
        spans.append((i, j))
        i = j + 1
    return spans


_OPENING = re.compile("[" + re.escape("".join(L.QUOTE_MARKS)) + "]")


@dataclass
class QuoteSite:
    """A quotation whose speaker the ``quote`` rules seek."""

    span: Span  # the quotation with its marks (a paragraph introduced by "X said:" has none)
    full_sentence: bool  # it is a whole sentence (or starts one)
    previous: Mention | None  # the last speaker of the paragraph, else of the previous one
    introduction: Span | None = None  # the last sentence of the paragraph before, when it ends with ":"
    open_ended: bool = False  # left open at the end of its paragraph (it goes on in the next)
    continuation: Mention | None = None  # the speaker of the quotation it goes on in


def _introduction(st: DocState, pi: int) -> Span | None:
    """The last sentence of paragraph ``pi - 1`` when it introduces what follows ("Truss said:")."""
    if pi == 0 or not st.paras[pi - 1].text.rstrip().endswith(":"):
        return None
    return list(st.paras[pi - 1].spacy_doc.sents)[-1]


def _speaker_of(st: DocState, rules, pi: int, site: QuoteSite) -> tuple[Mention | None, str]:
    for r in rules:
        speaker = r.fn(Match(st, pi, site.span[0], r, site))
        if speaker is not None:
            return speaker, r.method
    return None, ""


def quotes_pass(st: DocState) -> None:
    """Every quotation of the document with its speaker (see the module doc)."""
    rules = rules_on("quote", st.disabled)
    last_speaker: Mention | None = None
    pending: tuple | None = None  # an open quotation with no speaker yet, waiting for its continuation
    for pi, p in enumerate(st.paras):
        sdoc = p.spacy_doc
        text = p.text
        para_speaker: Mention | None = None
        nxt = st.paras[pi + 1].text if pi + 1 < len(st.paras) else ""
        spans = quote_spans(text, open_ended=nxt[:1] in L.QUOTE_MARKS)
        intro = _introduction(st, pi)
        if not spans and intro is not None:
            # a press release's "Truss said:" followed by her words, unquoted: the paragraph
            spans = [(-1, len(text))]
        for a, b in spans:
            inner = text[a + 1 : b]
            stripped = inner.strip().rstrip(",.;: ").strip()
            if len(stripped.split()) < 2:
                continue
            lead = inner.find(stripped[:1]) if stripped else 0
            qs = a + 1 + max(lead, 0)
            span = sdoc.char_span(max(a, 0), min(b + 1, len(text)), alignment_mode="expand")
            if span is None:
                continue
            # registered before its speaker is sought, so that '…,' it said' does not take
            # a name from inside the quote ("… Chinese companies," it said)
            st.quote_spans.append(QuoteSpan(pi, span.start, span.end, None))
            full_sentence = span.start == span.sent.start or (span.start > 0 and sdoc[span.start - 1].is_punct
                                                              and sdoc[span.start - 1].i == span.sent.start)
            site = QuoteSite(span, full_sentence, para_speaker or (last_speaker if pi > 0 else None),
                             intro if span.start == 0 else None, open_ended=b == len(text))
            found = (pi, len(st.quote_spans) - 1, site, stripped, p.offset + qs)
            speaker = _record(st, rules, *found)
            if speaker is None and site.open_ended:
                pending = found
            if speaker is None:
                continue
            if pending is not None and pending[0] == pi - 1:
                # the open quotation of the paragraph before goes on here: the same speaker
                pending[2].continuation = speaker
                _record(st, rules, *pending)
            pending = None
            para_speaker = last_speaker = speaker
        if para_speaker is not None:
            last_speaker = para_speaker


def _record(st: DocState, rules, pi: int, k: int, site: QuoteSite, words: str, start: int) -> Mention | None:
    """Seek the speaker of ``site`` (the ``k``-th quotation span) and record the quotation."""
    speaker, method = _speaker_of(st, rules, pi, site)
    q = st.quote_spans[k]
    st.quote_spans[k] = QuoteSpan(q.para, q.start, q.end, speaker)
    if speaker is not None:
        s_text, _, _ = st.sentence_of(pi, site.span[0])
        st.quotes.append(Quote(st.doc.id, words, start, start + len(words), speaker, s_text,
                               method=method, confidence=QUOTE_CONFIDENCE))
    return speaker


def _sentences(qspan: Span) -> list[Span]:
    """The sentences a quotation is in, the one after it when that one is its tag ('“…!” he
    tweeted.' when the parser starts a new sentence after the quote), and the one before it
    when that one introduces it with a colon ('The minister said: “…”')."""
    sdoc = qspan.doc
    sents = {qspan.sent.start: qspan.sent, sdoc[qspan.end - 1].sent.start: sdoc[qspan.end - 1].sent}
    if qspan.end < len(sdoc) and sdoc[qspan.end].sent.start == qspan.end:
        nxt = sdoc[qspan.end].sent
        if nxt[0].is_lower or nxt[0].pos_ == "PRON":
            sents[nxt.start] = nxt
    first = qspan.sent.start
    if first > 0 and qspan.start <= first + 1 and sdoc[first - 1].text == ":":
        before = sdoc[first - 1].sent
        sents[before.start] = before
    return list(sents.values())


@rule("speech-verb", family="speech", on="quote", emits=(), confidence=QUOTE_CONFIDENCE, reads=("parse", "mentions", "titles"))
def speech_verb(x: Match) -> Mention | None:
    """ "'…,' he said", "the ministry said: '…'", "'…,' said Under Secretary Alan Estevez": the
    subject of the speech verb nearest the quotation, or the name right after an inverted one."""
    return _said_by(x.st, x.para, x.item.span, _sentences(x.item.span))


def _said_by(st: DocState, para: int, qspan: Span, sents: list[Span]) -> Mention | None:
    """The speaker the speech verbs of ``sents`` name for the quotation ``qspan``, nearest
    verb first: its subject, or the name right after a verb inverted after the quotation."""
    cands: list[tuple[int, Token]] = []
    for s in sents:
        for t in s:
            if not qspan.start <= t.i < qspan.end and t.lemma_ in L.SPEECH_VERBS and t.pos_ in ("VERB", "AUX"):
                cands.append((qspan.start - t.i if t.i < qspan.start else t.i - qspan.end, t))
    for _, v in sorted(cands, key=lambda c: c[0]):
        found = subj_refs(st, para, v)
        if found:
            return found[0]
        after = [t for t in st.tms if t.para == para and v.i < t.span.start < v.sent.end
                 and not (qspan.start <= t.span.start < qspan.end) and t.m.cls in ACTORS]
        if after and v.i >= qspan.end and (after[0].span.start - v.i) <= 14:
            people = [t for t in after if t.m.cls == "Person"]
            return (people[0] if people else after[0]).m
    return None


@rule("according-to", family="speech", on="quote", emits=(), confidence=QUOTE_CONFIDENCE)
def according_to(x: Match) -> Mention | None:
    """ "the talks were 'progressing well,' according to the news agency": the source after
    "according to" (tried after the speech verbs: 'X said … "…," according to Y' is X's)."""
    st, para, qspan = x.st, x.para, x.item.span
    sdoc = qspan.doc
    for s in _sentences(qspan):
        for t in s:
            if not qspan.start <= t.i < qspan.end and t.lower_ in L.ACCORDING:
                for k in range(t.i + 1, min(t.i + 4, len(sdoc))):
                    tm = st.tm_at(para, sdoc[k])
                    if tm is not None and tm.m.cls in ACTORS:
                        return tm.m
    return None


@rule("introduced", family="speech", on="quote", emits=(), confidence=QUOTE_CONFIDENCE)
def introduced(x: Match) -> Mention | None:
    """ "Speaking after the meeting, the minister said:" closing a paragraph: the next
    paragraph's opening quotation (or, in a press release, the whole unquoted paragraph) is
    the minister's."""
    site: QuoteSite = x.item
    if site.introduction is None:
        return None
    return _said_by(x.st, x.para - 1, site.introduction[-1:], [site.introduction])


@rule("carried", family="speech", on="quote", emits=(), confidence=QUOTE_CONFIDENCE, reads=("parse", "mentions", "quotes"))
def carried(x: Match) -> Mention | None:
    """ 'Tai spoke in Geneva. "We will defend our workers," she said. "Nobody wins a trade war."':
    a quotation that is a whole sentence with no speaker of its own continues the last
    speaker of the paragraph (or of the paragraph before)."""
    site: QuoteSite = x.item
    return site.previous if site.full_sentence else None


@rule("spoke-to", family="speech", on="verb", triggers=L.SPOKE_TO_VERBS, emits=("spokeTo",), confidence=0.85)
def spoke_to(x: Match) -> None:
    """ "Senator Lisa Grant told Reuters", "said in an interview with Fox News", "spoke to
    Bloomberg": a person spoke to a media outlet (an organisation)."""
    st, pi, v = x.st, x.para, x.tok
    objs = [m for o in v.children if o.dep_ == "dobj" for m in refs(st, pi, o) if m.cls == "Organization"]
    for p in v.children:
        if p.dep_ == "prep" and p.lower_ in ("in", "to", "with"):
            for o in p.children:
                if o.dep_ == "pobj" and o.lower_ in L.INTERVIEW_NOUNS:
                    objs += [m for w in o.children if w.dep_ == "prep" and w.lower_ == "with"
                             for g in w.children if g.dep_ == "pobj" for m in refs(st, pi, g) if m.cls == "Organization"]
                elif o.dep_ == "pobj" and v.lemma_.lower() == "speak":
                    objs += [m for m in refs(st, pi, o) if m.cls == "Organization"]
    if not objs:
        return
    for s in subj_refs(st, pi, v):
        if s.cls == "Person":
            for o in objs:
                x.emit(s, "spokeTo", o)


@rule("following", family="speech", on="quote", emits=(), confidence=QUOTE_CONFIDENCE)
def following(x: Match) -> Mention | None:
    """ '"We will not retreat." The words were those of Prime Minister Ana Costa, who spoke …':
    a whole-sentence quotation with no speaker of its own is given by the next sentence's
    speech verb ("… said Ana Costa", "Costa said so in …")."""
    site: QuoteSite = x.item
    sdoc = site.span.doc
    end = site.span.end
    if not site.full_sentence or end >= len(sdoc) or sdoc[end].sent.start != end:
        return None
    nxt = sdoc[end].sent
    return _said_by(x.st, x.para, site.span, [nxt]) or _source_of_words(x.st, x.para, nxt)


def _source_of_words(st: DocState, para: int, sent: Span) -> Mention | None:
    """ "The warning came from Minister X", "The words were those of X": a sentence whose
    subject stands for what was said names its source after "from", "of" or "by"."""
    subj = [t for t in sent if t.dep_ == "nsubj" and t.head.i == sent.root.i and t.lemma_.lower() in L.SPEECH_NOUNS]
    if not subj:
        return None
    inside = {t.i for t in subj[0].subtree}
    for t in sent:
        if t.dep_ == "pobj" and t.i not in inside and t.head.lower_ in L.SOURCE_PREPS:
            found = [m for m in refs(st, para, t) if m.cls in ACTORS]
            if found:
                return found[0]
    return None


@rule("continued", family="speech", on="quote", emits=(), confidence=QUOTE_CONFIDENCE)
def continued(x: Match) -> Mention | None:
    """ 'She spoke in Lisbon. “We will not stop until' … (next paragraph) '“the duties are gone,”
    she said.': a quotation left open at the end of its paragraph is the speaker's of the
    quotation it goes on in."""
    site: QuoteSite = x.item
    return site.continuation if site.open_ended else None
