"""Speech: direct quotations and their speakers, and who spoke to which outlet.

A quotation is text between quotation marks (:data:`kg.extract.lexicon.QUOTE_MARKS`)
of at least two words. Its speaker is found by the first ``quote`` rule that
answers, and the :class:`~kg.model.Quote` records which (``kg.quotes.v2:…``):

* ``speech-verb``: the subject of the nearest speech verb in the quotation's
  sentences (""…," he said", "the ministry said: "…""), or the name right after
  an inverted one (""…," said Under Secretary Alan Estevez");
* ``according-to``: the source after "according to", when no speech verb has a subject;
* ``carried``: a quotation that is a whole sentence with no speaker of its own is the
  last speaker's of the paragraph, else of the previous paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.extract import lexicon as L
from kg.extract.coref import refs, subj_refs
from kg.extract.registry import Match, rule, rules_on
from kg.extract.state import ACTORS, DocState, QuoteSpan
from kg.model import Mention, Quote

QUOTES = "kg.quotes.v2"
QUOTE_CONFIDENCE = 0.85


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(opening, closing) character offsets of each quotation in ``text``.

    >>> quote_spans('He said "we will talk" and left. “Fine,” she said.')
    [(8, 21), (33, 39)]
    """
    spans = []
    i = 0
    while i < len(text):
        close = L.QUOTE_MARKS.get(text[i])
        if close is not None:
            j = text.find(close, i + 1)
            if j == -1:
                break
            spans.append((i, j))
            i = j + 1
            continue
        i += 1
    return spans


@dataclass
class QuoteSite:
    """A quotation whose speaker the ``quote`` rules seek."""

    span: Span  # the quotation with its marks
    full_sentence: bool  # it is a whole sentence (or starts one)
    previous: Mention | None  # the last speaker of the paragraph, else of the previous one


def quotes_pass(st: DocState) -> None:
    """Every quotation of the document with its speaker (see the module doc)."""
    rules = rules_on("quote", st.disabled)
    last_speaker: Mention | None = None
    for pi, p in enumerate(st.paras):
        sdoc = p.spacy_doc
        text = p.text
        para_speaker: Mention | None = None
        for a, b in quote_spans(text):
            inner = text[a + 1 : b]
            stripped = inner.strip().rstrip(",.;: ").strip()
            if len(stripped.split()) < 2:
                continue
            lead = inner.find(stripped[:1]) if stripped else 0
            qs = a + 1 + max(lead, 0)
            qe = qs + len(stripped)
            span = sdoc.char_span(a, b + 1, alignment_mode="expand")
            if span is None:
                continue
            # registered before its speaker is sought, so that '…,' it said' does not take
            # a name from inside the quote ("… Chinese companies," it said)
            st.quote_spans.append(QuoteSpan(pi, span.start, span.end, None))
            full_sentence = span.start == span.sent.start or (span.start > 0 and sdoc[span.start - 1].is_punct
                                                              and sdoc[span.start - 1].i == span.sent.start)
            site = QuoteSite(span, full_sentence, para_speaker or (last_speaker if pi > 0 else None))
            speaker, method = None, ""
            for r in rules:
                speaker = r.fn(Match(st, pi, span[0], r, site))
                if speaker is not None:
                    method = r.method
                    break
            st.quote_spans[-1] = QuoteSpan(pi, span.start, span.end, speaker)
            if speaker is None:
                continue
            para_speaker = last_speaker = speaker
            s_text, _, _ = st.sentence_of(pi, span[0])
            st.quotes.append(Quote(st.doc.id, stripped, p.offset + qs, p.offset + qe, speaker, s_text,
                                   method=method, confidence=QUOTE_CONFIDENCE))
        if para_speaker is not None:
            last_speaker = para_speaker


def _sentences(qspan: Span) -> list[Span]:
    """The sentences a quotation is in, and the one after it when that one is its tag
    ('“…!” he tweeted.' when the parser starts a new sentence after the quote)."""
    sdoc = qspan.doc
    sents = {qspan.sent.start: qspan.sent, sdoc[qspan.end - 1].sent.start: sdoc[qspan.end - 1].sent}
    if qspan.end < len(sdoc) and sdoc[qspan.end].sent.start == qspan.end:
        nxt = sdoc[qspan.end].sent
        if nxt[0].is_lower or nxt[0].pos_ == "PRON":
            sents[nxt.start] = nxt
    return list(sents.values())


@rule("speech-verb", family="speech", on="quote", emits=(), confidence=QUOTE_CONFIDENCE, reads=("parse", "mentions", "titles"))
def speech_verb(x: Match) -> Mention | None:
    """ "'…,' he said", "the ministry said: '…'", "'…,' said Under Secretary Alan Estevez": the
    subject of the speech verb nearest the quotation, or the name right after an inverted one."""
    st, para, qspan = x.st, x.para, x.item.span
    cands: list[tuple[int, Token]] = []
    for s in _sentences(qspan):
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
