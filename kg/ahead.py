"""Parse ahead: spaCy runs in a forked process while this one extracts what it has parsed.

A serial build spends four fifths of its time in ``nlp.pipe`` and most of
the rest in extraction, both in one process, while a second core idles.
:func:`parse_ahead` forks a child after the model is loaded (it starts at
once, the pipeline shared copy-on-write) that runs :func:`kg.nlp.parse` over
the documents and streams each document's parsed paragraphs back through a
pipe; the caller extracts document *n* while the child parses *n + 1*. spaCy
itself still parses on one core, as a bare ``nlp.pipe`` does; what moves off
the critical path is our own work.

The paragraphs travel in a wire format of our own (:func:`pack` and
:func:`unpack`) because spaCy's ``Doc.to_bytes`` and ``DocBin`` cost more
than extraction itself (measured on 200 generated articles: 3.0 s to write
and 3.3 s to read, against 1.6 s of extraction), almost all of it in their
string tables and msgpack. Here a paragraph is its words, its spaces, one
``uint64`` array of the annotations extraction reads (``Doc.to_array``), its
span groups and ``user_data``; strings go over once per build, the first
time a hash is seen, and are added to this process's ``StringStore`` before
the arrays that use them. :func:`unpack` restores a Doc equal to the child's
in every attribute ``Doc.to_bytes`` writes except the tensor (which nothing
of newskg reads): tested in ``tests/test_ahead.py``.

The child runs nothing but the parse and ``os._exit``; it writes to no
stream of the parent (its ``sys.stdout`` and ``sys.stderr`` are fresh objects
over duplicated descriptors, so a lock a parent thread held at the fork, such
as the progress bar's, cannot block it). If the caller stops reading (an
error, Ctrl-C), the generator's ``finally`` kills the child; if the parent
dies, the child's next write fails and it ends.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import signal
import struct
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence

import numpy
from spacy.attrs import (
    DEP,
    ENT_ID,
    ENT_IOB,
    ENT_KB_ID,
    ENT_TYPE,
    HEAD,
    LEMMA,
    MORPH,
    NORM,
    POS,
    SPACY,
    TAG,
)
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.model import Document
from kg.nlp import Paragraph, parse

# the token attributes a paragraph carries; HEAD with DEP restores the tree and the sentence
# starts (spaCy refuses SENT_START together with HEAD)
ATTRS = (TAG, POS, MORPH, DEP, HEAD, LEMMA, NORM, ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID)
# the columns of ATTRS that hold StringStore hashes
_HASHED = [i for i, a in enumerate(ATTRS) if a in (TAG, MORPH, DEP, LEMMA, NORM, ENT_TYPE, ENT_KB_ID, ENT_ID)]
_LEN = struct.Struct("<Q")
PIPE_BYTES = 1 << 20  # the largest pipe Linux gives an unprivileged process by default


class ParseFailed(RuntimeError):
    """The parsing process raised, or died; the message has its traceback or signal."""


class Packer:
    """Paragraphs to bytes in the parsing process; remembers which strings it has sent."""

    def __init__(self, vocab: Vocab):
        self.strings = vocab.strings
        self.sent: set[int] = {0}

    def _new_strings(self, arr: numpy.ndarray) -> list[str]:
        out = []
        for h in numpy.unique(arr[:, _HASHED]).tolist():
            if h not in self.sent:
                self.sent.add(h)
                out.append(self.strings[h])
        return out

    def pack(self, index: int, doc_id: str, paras: Sequence[Paragraph]) -> bytes:
        """One document's parsed paragraphs (``index`` in the input order)."""
        rows = []
        for p in paras:
            d = p.spacy_doc
            arr = d.to_array(list(ATTRS))
            if arr.ndim == 1:  # an empty doc gives a flat array
                arr = arr.reshape(-1, len(ATTRS))
            spans = {k: [(s.start, s.end, s.label_, s.kb_id_, s.id_) for s in g] for k, g in d.spans.items()}
            # user_data without extension values ("._." keys: a transformer's tensors, which nothing reads)
            user = {k: v for k, v in d.user_data.items() if not (isinstance(k, tuple) and k[:1] == ("._.",))}
            rows.append((p.offset, p.source, [t.text for t in d], d.to_array(SPACY).astype(bool),
                         self._new_strings(arr) if len(arr) else [], arr, spans, user or None))
        return pickle.dumps((index, doc_id, rows), protocol=pickle.HIGHEST_PROTOCOL)


def unpack(vocab: Vocab, data: bytes) -> tuple[int, list[Paragraph]]:
    """The document's index and its paragraphs, as Docs of ``vocab`` (:meth:`Packer.pack`'s inverse)."""
    from spacy.tokens import Span

    index, doc_id, rows = pickle.loads(data)
    paras = []
    add = vocab.strings.add
    for offset, source, words, spaces, strings, arr, spans, user_data in rows:
        for s in strings:
            add(s)
        d = Doc(vocab, words=words, spaces=spaces.tolist())
        if len(words):
            d.from_array(list(ATTRS), arr)
        for key, group in spans.items():
            d.spans[key] = [Span(d, a, b, label=label, kb_id=kb, span_id=sid) for a, b, label, kb, sid in group]
        if user_data:
            d.user_data.update(user_data)
        paras.append(Paragraph(doc_id, offset, d, source))
    return index, paras


def parse_ahead(nlp: Language, docs: Sequence[Document], batch_size: int = 64,
                timings: dict[str, float] | None = None,
                meanwhile: Callable[[], object] | None = None) -> Iterator[tuple[Document, list[Paragraph]]]:
    """:func:`kg.nlp.parse` of ``docs`` run in a forked process; yields the same pairs, in order.

    ``timings["nlp"]`` gets the child's own seconds of parsing (added when it ends).
    ``meanwhile`` is called here once the child runs, before the first document is
    read: work for the time the first batch takes to parse.
    """
    read, write = os.pipe()
    try:  # room for a burst of documents (a batch and its re-read finish together)
        fcntl.fcntl(write, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except OSError:  # pragma: no cover - a smaller pipe works, with the child waiting more
        pass
    pid = os.fork()
    if pid == 0:  # the child: parse, write, exit
        os.close(read)
        _child(nlp, docs, batch_size, write)
    os.close(write)
    done = False
    try:
        if meanwhile is not None:
            meanwhile()
        with os.fdopen(read, "rb", buffering=1 << 20) as f:
            while True:
                head = f.read(9)
                if len(head) < 9:
                    break
                kind, n = head[:1], _LEN.unpack(head[1:])[0]
                body = f.read(n)
                if len(body) < n:
                    break
                if kind == b"D":
                    index, paras = unpack(nlp.vocab, body)
                    yield docs[index], paras
                elif kind == b"T":
                    if timings is not None:
                        timings["nlp"] = timings.get("nlp", 0.0) + pickle.loads(body)
                    done = True
                elif kind == b"E":
                    raise ParseFailed(f"in the parsing process {pid}:\n{body.decode('utf-8', 'replace')}")
        _, status = os.waitpid(pid, 0)
        pid = 0
        if not done:
            how = (f"was killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
                   else f"exited with {os.WEXITSTATUS(status)}")
            raise ParseFailed(f"the parsing process {how} before it had parsed every document")
    finally:
        if pid:  # the caller stopped early, or an error: do not parse what nobody will read
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)


def _child(nlp: Language, docs: Sequence[Document], batch_size: int, fd: int) -> None:  # pragma: no cover - in the child
    code = 0
    try:
        # fresh stream objects: a parent thread may have held the old ones' locks at the fork
        sys.stdout = open(os.dup(1), "w", closefd=True)  # noqa: SIM115 - lives as long as the process
        sys.stderr = open(os.dup(2), "w", closefd=True)  # noqa: SIM115
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        with os.fdopen(fd, "wb", buffering=1 << 20) as out:
            def send(kind: bytes, body: bytes) -> None:
                out.write(kind + _LEN.pack(len(body)))
                out.write(body)

            try:
                packer = Packer(nlp.vocab)
                spent = 0.0
                t0 = time.perf_counter()
                # parse yields every document, in input order
                for index, (doc, paras) in enumerate(parse(nlp, docs, batch_size=batch_size)):
                    spent += time.perf_counter() - t0
                    send(b"D", packer.pack(index, doc.id, paras))
                    out.flush()
                    t0 = time.perf_counter()
                spent += time.perf_counter() - t0
                send(b"T", pickle.dumps(spent))
            except BaseException:  # noqa: BLE001 - everything goes back to the parent
                send(b"E", traceback.format_exc().encode("utf-8", "replace"))
                code = 1
    except BaseException:  # noqa: BLE001 - the pipe itself failed (the parent is gone)
        code = 1
    finally:
        os._exit(code)
