"""kg.ingest: reading files and folders, errors, ids, metadata, HTML safety."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg.ingest.readers as readers
from kg.ingest import MAX_BYTES, IngestResult, read_inputs
from kg.ingest.meta import parse_date
from kg.model import Document, IngestError

DATA = Path(__file__).parent / "data" / "ingest"


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def one_error(res: IngestResult) -> IngestError:
    assert len(res.errors) == 1, res.errors
    return res.errors[0]


ARTICLE = "The ministry raised tariffs on steel imports on Monday, officials said.\n"


# ------------------------------------------------------------------ inputs


def test_folder_is_walked_recursively_sorted_and_filtered(tmp_path):
    write(tmp_path / "b.txt", ARTICLE)
    write(tmp_path / "a" / "z.md", "# Title\n\n" + ARTICLE)
    write(tmp_path / "a" / "notes.pdf", b"%PDF-1.4")  # other types: silently ignored
    write(tmp_path / ".hidden.txt", ARTICLE)  # hidden file: skipped
    write(tmp_path / ".git" / "x.txt", ARTICLE)  # hidden folder: skipped
    write(tmp_path / "c.TXT", ARTICLE)  # suffixes are case-insensitive
    res = read_inputs([tmp_path])
    assert res.errors == []
    assert [d.id for d in res.documents] == ["z.md", "b.txt", "c.TXT"]
    assert [d.source for d in res.documents] == [tmp_path / "a" / "z.md", tmp_path / "b.txt", tmp_path / "c.TXT"]
    assert res.files == 3


def test_mixed_files_and_folders_are_read_once_in_path_order(tmp_path):
    a = write(tmp_path / "d" / "a.txt", ARTICLE)
    write(tmp_path / "d" / "b.txt", ARTICLE)
    res = read_inputs([tmp_path / "d" / "b.txt", tmp_path / "d", a])
    assert [d.id for d in res.documents] == ["a.txt", "b.txt"]
    assert res.errors == []


def test_missing_path_is_an_error_naming_it(tmp_path):
    write(tmp_path / "ok.txt", ARTICLE)
    res = read_inputs([tmp_path / "nope", tmp_path / "ok.txt"])
    err = one_error(res)
    assert err.path == tmp_path / "nope" and "no such file or folder" in err.message
    assert [d.id for d in res.documents] == ["ok.txt"]


def test_explicit_file_with_unknown_suffix_lists_the_valid_ones(tmp_path):
    p = write(tmp_path / "article.pdf", b"%PDF")
    err = one_error(read_inputs([p]))
    assert err.path == p
    assert "'.pdf'" in err.message
    for suffix in (".txt", ".md", ".html", ".htm", ".jsonl"):
        assert suffix in err.message


def test_duplicate_ids_keep_the_first_and_name_it(tmp_path):
    first = write(tmp_path / "a" / "same.txt", ARTICLE)
    write(tmp_path / "b" / "same.txt", ARTICLE)
    write(tmp_path / "c.jsonl", json.dumps({"id": "same.txt", "text": ARTICLE}) + "\n")
    res = read_inputs([tmp_path])
    assert [d.source for d in res.documents] == [first]
    assert len(res.errors) == 2
    assert all("duplicate document id 'same.txt'" in e.message and str(first) in e.message for e in res.errors)
    assert res.errors[1].line == 1


def test_default_date_fills_only_missing_dates(tmp_path):
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "b.txt", "Date: 12 March 2023\n\n" + ARTICLE)
    res = read_inputs([tmp_path], default_date="2024-01-31")
    assert [d.date for d in res.documents] == ["2024-01-31", "2023-03-12"]
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        read_inputs([tmp_path], default_date="31/01/2024")


# ------------------------------------------------------------------ text


def test_txt_text_is_exactly_what_read_text_returns(tmp_path):
    raw = "\ufeffTitle Line Here\r\n\r\nCafé prices rose, the ministry said.\rEnd.\n"
    p = write(tmp_path / "crlf.txt", raw)
    (doc,) = read_inputs([p]).documents
    assert doc.text == p.read_text(encoding="utf-8")
    assert doc.text.startswith("\ufeff") and "\r" not in doc.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1))
def test_property_txt_round_trip_and_body_spans(tmp_path, text):
    p = tmp_path / "prop.txt"
    p.write_bytes(text.encode("utf-8"))
    res = read_inputs([p])
    if not p.read_text(encoding="utf-8").strip():
        assert res.documents == [] and "empty" in one_error(res).message
        return
    assert res.errors == []
    (doc,) = res.documents
    assert doc.text == p.read_text(encoding="utf-8")
    spans = doc.body_spans()
    assert all(0 <= s < e <= len(doc.text) for s, e in spans)
    assert all(e1 < s2 for (_, e1), (s2, _) in zip(spans, spans[1:]))  # sorted, disjoint


def test_md_title_date_and_no_chrome_keeps_everything():
    res = read_inputs([DATA / "clean.md"])
    (doc,) = res.documents
    assert doc.title == "Trade Ministers Meet in Valdora"
    assert doc.date == "2023-09-14"
    assert doc.body is None  # nothing to strip: the whole text is body


def test_md_front_matter(tmp_path):
    p = write(tmp_path / "fm.md", "---\ntitle: Quota Deal Signed\ndate: 2022-07-29\nurl: https://x.example/q\n---\n\n" + ARTICLE)
    (doc,) = read_inputs([p]).documents
    assert (doc.title, doc.date, doc.url) == ("Quota Deal Signed", "2022-07-29", "https://x.example/q")


def test_txt_title_rules(tmp_path):
    headline = write(tmp_path / "h.txt", "Steel Tariffs Rise Again\n\n" + ARTICLE)
    sentence = write(tmp_path / "s.txt", ARTICLE + "\n" + ARTICLE)
    got = {d.id: d.title for d in read_inputs([headline, sentence]).documents}
    assert got == {"h.txt": "Steel Tariffs Rise Again", "s.txt": None}


def test_txt_dateline_but_not_dates_in_prose(tmp_path):
    dateline = write(tmp_path / "a.txt", "Skip to main content\n\nFOR IMMEDIATE RELEASE | Thursday, April 11, 2024\n\n" + ARTICLE)
    prose = write(tmp_path / "b.txt", "The ministry said on March 3, 2021 that it raised tariffs on steel imports, officials said.\n")
    got = {d.id: d.date for d in read_inputs([dateline, prose]).documents}
    assert got == {"a.txt": "2024-04-11", "b.txt": None}


@pytest.mark.parametrize(
    ("value", "iso"),
    [("2024-03-05", "2024-03-05"), ("2024-03-05T10:00:00Z", "2024-03-05"), ("Sept. 28, 2011", "2011-09-28"),
     ("5th of May 2020", "2020-05-05"), ("February 30, 2022", None), ("no date", None)],
)
def test_parse_date(value, iso):
    assert parse_date(value) == iso


# ------------------------------------------------------------------ bad files


def test_empty_and_whitespace_files(tmp_path):
    for name, data in (("empty.txt", b""), ("blank.md", b" \n\t\n"), ("empty.html", b""), ("empty.jsonl", b"\n\n")):
        err = one_error(read_inputs([write(tmp_path / name, data)]))
        assert "empty" in err.message and err.path.name == name


def test_binary_file(tmp_path):
    p = write(tmp_path / "img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    err = one_error(read_inputs([p]))
    assert "binary" in err.message and "byte offset 8" in err.message
    err = one_error(read_inputs([write(tmp_path / "b.jsonl", b'{"id": "x"\x00}\n')]))
    assert "binary" in err.message


def test_not_utf8_names_the_byte_offset(tmp_path):
    p = write(tmp_path / "latin1.txt", "Café au lait, the ministry said.".encode("latin-1"))
    err = one_error(read_inputs([p]))
    assert err.path == p
    assert "not valid UTF-8" in err.message and "byte offset 3" in err.message and "must be UTF-8" in err.message


def test_file_over_the_cap(tmp_path):
    p = write(tmp_path / "big.txt", ARTICLE * 100)
    err = one_error(read_inputs([p], max_bytes=1000))
    assert "limit" in err.message and "MAX_BYTES" in err.message
    assert MAX_BYTES == 50 * 1024 * 1024


def test_unreadable_file(tmp_path, monkeypatch):
    p = write(tmp_path / "secret.txt", ARTICLE)
    ok = write(tmp_path / "ok.txt", ARTICLE)
    real_open = readers._open_binary

    def deny(path):
        if Path(path).name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path)

    monkeypatch.setattr(readers, "_open_binary", deny)
    res = read_inputs([tmp_path])
    err = one_error(res)
    assert err.path == p and "permission denied" in err.message
    assert [d.source for d in res.documents] == [ok]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_unreadable_file_for_real(tmp_path):
    if os.geteuid() == 0:  # root reads everything: the monkeypatched test above covers it
        p = write(tmp_path / "x.txt", ARTICLE)
        assert read_inputs([p]).errors == []
        return
    p = write(tmp_path / "x.txt", ARTICLE)
    p.chmod(0)
    try:
        assert "permission denied" in one_error(read_inputs([p])).message
    finally:
        p.chmod(0o644)


def test_not_a_regular_file(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    err = one_error(read_inputs([fifo]))
    assert "not a regular file" in err.message


# ------------------------------------------------------------------ JSONL


def test_jsonl_good_and_bad_lines():
    res = read_inputs([DATA / "records.jsonl"])
    docs = {d.id: d for d in res.documents}
    assert list(docs) == ["rec-1", "rec-2", "rec-6"]  # in line order, bad lines skipped
    r1 = docs["rec-1"]
    assert (r1.title, r1.date, r1.url) == ("Central Bank Raises Rate", "2024-03-04", "https://news.example/rate")
    assert r1.text.startswith("The central bank") and r1.source == DATA / "records.jsonl"
    assert docs["rec-6"].date == "2024-03-05"
    by_line = {e.line: e.message for e in res.errors}
    assert sorted(by_line) == [4, 5, 6, 7, 8, 9, 10, 11]
    assert "not valid JSON" in by_line[4]
    assert "expected a JSON object" in by_line[5]
    assert 'no "id"' in by_line[6]
    assert '"id" must be a string' in by_line[7]
    assert '"text" is empty' in by_line[8]
    assert '"title" must be a string' in by_line[9]
    assert '"date"' in by_line[10] and "YYYY-MM-DD" in by_line[10]
    assert "duplicate document id 'rec-1'" in by_line[11]
    assert all(e.path == DATA / "records.jsonl" for e in res.errors)
    assert str(res.errors[0]).startswith(f"{DATA / 'records.jsonl'}:4: ")


def test_jsonl_record_cap_and_bad_utf8_line(tmp_path):
    big = json.dumps({"id": "big", "text": "x " * 5000})
    lines = [json.dumps({"id": "a", "text": ARTICLE}).encode(), big.encode(), b'{"id": "c", "text": "caf\xe9"}',
             json.dumps({"id": "d", "text": ARTICLE}).encode()]
    p = write(tmp_path / "r.jsonl", b"\n".join(lines))  # no final newline
    res = read_inputs([p], max_record_bytes=1000)
    assert [d.id for d in res.documents] == ["a", "d"]
    errs = {e.line: e.message for e in res.errors}
    assert "limit per record" in errs[2]
    offset = len(lines[0]) + len(lines[1]) + 2 + lines[2].index(b"\xe9")
    assert "not valid UTF-8" in errs[3] and f"byte offset {offset}" in errs[3]


def test_jsonl_text_is_kept_exactly(tmp_path):
    text = "Line one.\r\nLine two\u2028 with a separator.\n"
    p = write(tmp_path / "r.jsonl", "\ufeff" + json.dumps({"id": "x", "text": text}) + "\r\n")
    (doc,) = read_inputs([p]).documents
    assert doc.text == text


def test_jsonl_streams_line_by_line(tmp_path, monkeypatch):
    """A JSONL file is never read whole: only bounded readline calls."""
    p = write(tmp_path / "r.jsonl", "".join(json.dumps({"id": str(i), "text": ARTICLE}) + "\n" for i in range(50)))
    sizes: list[int] = []
    real_open = readers._open_binary

    class Spy:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *a):
            self.f.close()

        def read(self, n=-1):
            sizes.append(n)
            return self.f.read(n)

        def readline(self, n=-1):
            sizes.append(n)
            return self.f.readline(n)

        def seek(self, *a):
            return self.f.seek(*a)

    monkeypatch.setattr(readers, "_open_binary", lambda path: Spy(real_open(path)))
    res = read_inputs([p], max_record_bytes=4096)
    assert len(res.documents) == 50
    assert sizes and all(0 < n <= 8192 for n in sizes)


# ------------------------------------------------------------------ HTML


def test_html_main_text_and_metadata():
    (doc,) = read_inputs([DATA / "page.html"]).documents
    assert doc.id == "page.html"
    assert doc.title == "Ministry Extends Export Ban on Rare Metals"
    assert doc.url == "https://ledger.example/2024/05/export-ban"
    assert doc.date == "2024-05-02"
    assert "The Ministry of Industry said on Thursday" in doc.text
    assert "gallium, germanium and indium" in doc.text
    assert doc.body is None


def test_html_hostile_markup_never_reaches_the_text():
    (doc,) = read_inputs([DATA / "page.html"]).documents
    lowered = doc.text.lower()
    for bad in ("<script", "alert(", "onerror", "onmouseover", "javascript:", "document.cookie", "fetch(", "<", "xss"):
        assert bad not in lowered, bad
    assert doc.title is not None and "<" not in doc.title


def test_html_without_text_is_an_error(tmp_path):
    for name, html in (("nav.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>"),
                       ("broken.htm", "<<<>>> <div <p unclosed")):
        err = one_error(read_inputs([write(tmp_path / name, html)]))
        assert "no article text" in err.message or "could not be parsed" in err.message


def test_readers_registry_and_documents_are_frozen():
    assert set(readers.READERS) == {".txt", ".md", ".html", ".htm", ".jsonl"}
    assert readers.READERS[".htm"] is readers.READERS[".html"]
    doc = Document(id="x", text="t")
    with pytest.raises(AttributeError):
        doc.id = "y"  # type: ignore[misc]


def test_unlistable_folder_is_an_error(tmp_path, monkeypatch):
    write(tmp_path / "ok.txt", ARTICLE)
    locked = tmp_path / "locked"
    locked.mkdir()
    real_walk = os.walk

    def walk(top, onerror=None, followlinks=False):
        for dirpath, dirnames, filenames in real_walk(top, onerror=onerror, followlinks=followlinks):
            if Path(dirpath) == locked:
                onerror(PermissionError(13, "Permission denied", str(locked)))
                dirnames[:] = []
                continue
            yield dirpath, dirnames, filenames

    monkeypatch.setattr(os, "walk", walk)
    res = read_inputs([tmp_path])
    err = one_error(res)
    assert err.path == locked and "cannot list folder: permission denied" in err.message
    assert [d.id for d in res.documents] == ["ok.txt"]
