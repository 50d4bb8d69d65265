"""Parse ahead (kg.ahead): spaCy in a forked process, extraction here.

The wire format must give back Docs equal to the parsed ones in every
attribute spaCy serialises (except the tensor), and the forked parse must
yield what kg.nlp.parse yields, in order; a failing or killed child is an
error naming it, and a caller that stops early leaves no process behind.
"""

from __future__ import annotations

import os
import signal

import pytest
from spacy.tokens import Doc

from kg import gazetteer
from kg.ahead import Packer, ParseFailed, parse_ahead, unpack
from kg.extract import extract
from kg.model import Document
from kg.nlp import RECASED, SPANS_KEY, load_pipeline, parse

pytestmark = pytest.mark.model

TEXTS = [
    # a title-case headline (read again by the NER: user_data), gazetteer spans, a quote
    "Beijing Hits Back At Washington Over Chip Curbs\n"
    "BEIJING, May 3 (Reuters) - China's Ministry of Commerce said on Saturday it would impose "
    "a 15% tariff on American coal from June 1, after the Treasury Department sanctioned two firms.\n"
    "\"We will not accept coercion,\" spokesperson He Yadong told reporters.",
    "",  # a document with no paragraph keeps its place
    "The European Union and Japan agreed to cut duties on cars.\n\nOttawa urged Mexico to drop its levies.",
    "Ruth Calder, the trade minister of New Zealand, met officials in Wellington on Tuesday.",
]


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return [Document(f"d{i}", t, date="2025-05-03") for i, t in enumerate(TEXTS)]


def _state(d: Doc):
    """Everything of a Doc that extraction can see, as plain values (extension values aside)."""
    return (d.text, d.to_array(list(Doc._get_array_attrs())).tolist(), [t.lemma_ for t in d], [str(t.morph) for t in d],
            [(e.start, e.end, e.label_, e.kb_id_, e.id_) for e in d.ents], [(s.start, s.end) for s in d.sents],
            {k: [(s.start, s.end, s.label_, s.id_) for s in g] for k, g in d.spans.items()},
            {k: v for k, v in d.user_data.items() if not (isinstance(k, tuple) and k[0] == "._.")})


def test_the_wire_format_gives_back_the_parsed_docs(nlp, docs):
    parsed = list(parse(nlp, docs))
    assert any(RECASED in p.spacy_doc.user_data for _, ps in parsed for p in ps), "no title-case line was read again"
    assert any(p.spacy_doc.spans.get(SPANS_KEY) for _, ps in parsed for p in ps)
    packer = Packer(nlp.vocab)
    for i, (doc, paras) in enumerate(parsed):
        index, back = unpack(nlp.vocab, packer.pack(i, doc.id, paras))
        assert index == i
        assert [(p.doc_id, p.offset, p.source) for p in back] == [(p.doc_id, p.offset, p.source) for p in paras]
        assert [_state(p.spacy_doc) for p in back] == [_state(p.spacy_doc) for p in paras]


def test_extension_values_stay_behind(nlp, docs):
    """A pipeline's extension values (a transformer's tensors: ``doc._.trf_data``) are not sent."""
    (doc, paras), = list(parse(nlp, docs[:1]))
    paras[0].spacy_doc.user_data[("._.", "trf_data", None, None)] = b"x" * 100_000
    blob = Packer(nlp.vocab).pack(0, doc.id, paras)
    assert len(blob) < 100_000
    _, back = unpack(nlp.vocab, blob)
    assert RECASED in back[0].spacy_doc.user_data and ("._.", "trf_data", None, None) not in back[0].spacy_doc.user_data


def test_strings_go_over_once_and_reach_a_fresh_vocabulary(nlp, docs):
    from spacy.vocab import Vocab

    parsed = list(parse(nlp, docs))
    packer = Packer(nlp.vocab)
    blobs = [packer.pack(i, d.id, ps) for i, (d, ps) in enumerate(parsed)]
    again = packer.pack(0, parsed[0][0].id, parsed[0][1])
    assert len(again) < len(blobs[0]), "the strings of a document sent before went over again"
    # a vocabulary that never saw the model's strings still reads lemmas, tags and labels right
    fresh = Vocab(strings=[])
    for blob, (_, paras) in zip(blobs, parsed):
        _, back = unpack(fresh, blob)
        assert [[(t.text, t.lemma_, t.tag_, t.dep_, t.ent_type_) for t in p.spacy_doc] for p in back] == \
            [[(t.text, t.lemma_, t.tag_, t.dep_, t.ent_type_) for t in p.spacy_doc] for p in paras]


def test_parse_ahead_yields_what_parse_yields(nlp, docs):
    gz = gazetteer.load()
    here = [(d.id, extract(d, ps, gz)) for d, ps in parse(nlp, docs)]
    timings: dict[str, float] = {}
    there = [(d.id, extract(d, ps, gz)) for d, ps in parse_ahead(nlp, docs, timings=timings)]
    assert there == here
    assert [i for i, _ in there] == [d.id for d in docs]
    assert timings["nlp"] > 0


def _children() -> set[int]:
    """This process's live (not reaped) children."""
    me = os.getpid()
    out = set()
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == me:
                out.add(int(pid))
    return out


def test_a_caller_that_stops_early_leaves_no_process(nlp, docs):
    before = _children()
    it = parse_ahead(nlp, docs * 5)
    next(it)
    assert _children() - before, "no parsing process ran"
    it.close()
    assert _children() == before


def test_an_error_in_the_parsing_process_is_raised_with_its_traceback(nlp, docs, monkeypatch):
    import kg.ahead

    def broken(nlp, docs, batch_size=64):
        yield from ()
        raise ValueError("the parser broke on purpose")

    monkeypatch.setattr(kg.ahead, "parse", broken)
    with pytest.raises(ParseFailed, match="(?s)parsing process.*ValueError: the parser broke on purpose"):
        list(parse_ahead(nlp, docs))


def test_a_killed_parsing_process_is_an_error_not_a_shorter_result(nlp, docs, monkeypatch):
    import kg.ahead

    def killed(nlp, docs, batch_size=64):
        os.kill(os.getpid(), signal.SIGKILL)
        yield from ()

    monkeypatch.setattr(kg.ahead, "parse", killed)
    with pytest.raises(ParseFailed, match="killed by signal 9"):
        list(parse_ahead(nlp, docs))


def test_meanwhile_runs_once_here_while_the_child_parses(nlp, docs):
    before = _children()
    seen: list[int] = []
    out = list(parse_ahead(nlp, docs, meanwhile=lambda: seen.append(len(_children() - before))))
    assert seen == [1] and len(out) == len(docs)
