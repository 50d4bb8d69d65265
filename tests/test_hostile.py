"""Hostile text: quotes, backslashes, newlines, control characters, RTL marks,
emoji, <script>, very long tokens and names that look like IRI or Turtle syntax.

Property tests (hypothesis) put such documents through the real pipeline
(JSONL ingest → spaCy → extraction → resolution → RDF) and check the outputs:

* ``graph.ttl`` and ``mentions.ttl`` parse in rdflib and in pyoxigraph, to the
  very triples that were serialised;
* every IRI is valid per RFC 3987 (the ``rfc3987`` package, not our own check);
* NIF offsets slice the document text back to each mention's anchor;
* the view escapes everything: no text from an article becomes markup.

The fragment tables and :func:`check_outputs` are shared with
``bench/fuzz.py``, which runs the same invariants over 10,000 documents.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from helpers import ScriptTags
from kg.vocab import KG, NIF, document_iri, entity_iri, is_iri, mention_iri, slugify, web_iri

rfc3987 = pytest.importorskip("rfc3987", reason="the test extra: pip install -e '.[test]'")

# ----------------------------------------------------------------- the hostile material

FRAGMENTS: tuple[str, ...] = (
    '"', "'", '""', "'''", '"""', "\\", "\\\\", '\\"', "\\n", "\\u0022", "\n", "\r\n", "\r", "\t", "\n\n", "\x0b", "\x0c",
    "\x00", "\x01", "\x07", "\x08", "\x1b[31m", "\x1f", "\x7f", "\x85", "\u2028", "\u2029",
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2069",
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\ufffd", "\ufffe", "\uffff", "\U0010ffff", "\ue000",
    "😀", "👩‍👩‍👧", "🇺🇸", "🏳️‍🌈", "👍🏽", "e\u0301", "ﬁ", "Ⅻ", "𝐀𝐁", "\u0300\u0301\u0302",
    "<script>alert(1)</script>", "</script><script>alert(document.cookie)</script>", "<img src=x onerror=alert(1)>",
    "<!--", "-->", "]]>", "<![CDATA[", "&amp;", "&lt;", "&#x3C;", "<b>", "</b>", "javascript:alert(1)",
    "<http://evil.example/>", "<>", "http://x/a b", "https://x/%zz", "%00", "%2F", "{x}", "|", "^^", "^",
    "`", "@en", "_:b0", "#frag", "?q=1&r=2", "a:b", ":", "::", ".", "..", "/../", ";", " ; ", " . ", ",",
    '" . <http://a/> <http://b/> "c', "} ; DROP ALL ; {", "\"@en ; a owl:Thing", "'); DROP TABLE docs;--",
    "${jndi:ldap://x}", "{{7*7}}", "%s%s%n", "\\u0000", "🙂" * 20,
    "A" * 3000, "x" * 12000, "-" * 500, "Ab" * 800, "é" * 1000,
)

COUNTRIES: tuple[str, ...] = (
    "China", "the United States", "Germany", "Japan", "France", "India", "Russia", "Brazil", "Canada", "Mexico",
    "the European Union", "Côte d'Ivoire", "Россия", "日本", "Türkiye", "São Tomé and Príncipe",
)

NAMES: tuple[str, ...] = (
    "Anna Berg", "Scott Bessent", "Xi Jinping", "Ursula von der Leyen", "O'Brien", "Zoë Dupont", "Łukasz Żółć",
    'Anna "The Hammer" Berg', "Berg\\Anna", "Anna\tBerg", "Ann\u200fa Berg", "\u202eAnna Berg", "Anna Berg😀",
    "Anna <b>Berg</b>", "<script>Berg</script>", "Doc/../../etc/passwd", "http://evil.example/a", "Mr. _:b0",
    "Sir Anna^^xsd:string", "Anna%20Berg", "Anna#Berg", "Dr. A.B.C. D'Ëñ-Ü", "习近平", "Владимир Путин",
    "Mohammed bin Salman Al Saud", "Jean-Luc Picard-Lévesque", "Ångström Ørsted", "Ab" * 60,
)

ORGS: tuple[str, ...] = (
    "the Ministry of Commerce", "the Treasury", "the WTO", "Huawei", "the Commerce Department", "AT&T", "AT and T",
    "Acme <Corp>", 'The "Quote" Company', "Back\\slash Inc.", "Org\u202e Ltd", "Emoji 🚀 Holdings", "ООО Газпром",
)

TEMPLATES: tuple[str, ...] = (
    "{a} imposed tariffs of 25% on steel from {c}.",
    "{a} said {c} would face sanctions.",
    '"We will not back down{f}," {a} said on Monday.',
    "{a} criticized {b} over the new export controls on {c}.",
    "{o} announced an investigation into {c}{f}.",
    "President {a} of {c} met {b} in {c2}.",
    "{c} retaliated against {c2} with duties on{f} soybeans.",
    "{b}, the {c} trade minister, urged {c2} to lift the ban.",
    "{c} and {c2} are negotiating a trade agreement, {a} told reporters.",
    "{o} threatened to impose sanctions on {o2}.",
    "{a}{f}{b} imposed a ban.",
)


def sentence(rng: random.Random) -> str:
    """One sentence of a template, with hostile names and a hostile fragment."""
    t = rng.choice(TEMPLATES)
    f = rng.choice(FRAGMENTS) if rng.random() < 0.5 else ""
    return t.format(a=rng.choice(NAMES), b=rng.choice(NAMES), c=rng.choice(COUNTRIES), c2=rng.choice(COUNTRIES),
                    o=rng.choice(ORGS), o2=rng.choice(ORGS), f=f)


def random_text(rng: random.Random) -> str:
    """A document of 1–8 pieces: template sentences, fragments and random code points."""
    parts = []
    for _ in range(rng.randint(1, 8)):
        r = rng.random()
        if r < 0.55:
            parts.append(sentence(rng))
        elif r < 0.85:
            parts.append(rng.choice(FRAGMENTS))
        else:
            parts.append("".join(chr(rng.choice((rng.randint(0x20, 0x7e), rng.randint(0xa0, 0x2fff),
                                                  rng.randint(0x1f300, 0x1faff))))
                                 for _ in range(rng.randint(1, 40))))
        parts.append(rng.choice((" ", " ", "\n", "\n\n", "", "\r\n")))
    text = "".join(parts)
    return text if text.strip() else "Germany imposed tariffs on China."


def random_record(rng: random.Random, i: int) -> dict:
    """A JSONL record with a hostile id, title and URL."""
    rec = {"id": f"{i}{rng.choice(FRAGMENTS[:60])}{rng.choice(('', ' ', '.txt', '/x', '%'))}", "text": random_text(rng)}
    if rng.random() < 0.5:
        rec["title"] = rng.choice(FRAGMENTS + NAMES)
    if rng.random() < 0.5:
        rec["url"] = rng.choice(("https://news.example/a?b=c&d=e#f", "http://x/a b", "https://x/%zz", "http://[/",
                                 "https://例え.jp/記事", "https://x/\u202e", "javascript:alert(1)", "https://x/\x01",
                                 "https://x/" + rng.choice(FRAGMENTS)))
    return rec


# ----------------------------------------------------------------- running the pipeline and checking outputs


def read_records(records: list[dict], folder: Path):
    """Write ``records`` as one JSONL file and read it back with kg.ingest (the real ingest path)."""
    from kg.ingest import read_inputs

    folder.mkdir(parents=True, exist_ok=True)
    p = folder / "docs.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=bool(i % 2)) + "\n" for i, r in enumerate(records)), encoding="utf-8")
    return read_inputs([p])


def run_pipeline(docs, n_process: int = 1, batch_size: int = 64):
    """Documents → (graph, mentions graph), as ``kg build`` makes them."""
    from kg import gazetteer
    from kg.pipeline import extract_documents
    from kg.rdf import to_graphs
    from kg.resolve import resolve

    exs = extract_documents(docs, n_process=n_process, batch_size=batch_size)
    return to_graphs(resolve(exs, gazetteer.load()), list(docs))


def _iri_ok(iri: str) -> bool:
    return rfc3987.match(iri, rule="IRI") is not None


def check_outputs(docs, g: Graph, mg: Graph) -> list[str]:
    """Every invariant of the module doc over one build; returns the violations (empty: all hold)."""
    import pyoxigraph as ox

    from kg.rdf import to_turtle

    problems: list[str] = []
    parsed: dict[str, Graph] = {}
    for name, graph in (("graph.ttl", g), ("mentions.ttl", mg)):
        try:
            ttl = to_turtle(graph)
        except Exception as e:  # noqa: BLE001 - reported as a finding
            problems.append(f"{name}: serialisation failed: {type(e).__name__}: {e}")
            continue
        data = ttl.encode("utf-8")
        try:
            back = Graph().parse(data=data, format="turtle")
        except Exception as e:  # noqa: BLE001
            problems.append(f"{name}: rdflib cannot parse it: {type(e).__name__}: {str(e)[:300]}")
            continue
        if set(back) != set(graph):
            problems.append(f"{name}: rdflib reads other triples than were written "
                            f"({len(set(graph) - set(back))} lost, {len(set(back) - set(graph))} new)")
        parsed[name] = back
        try:
            oxs = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
        except Exception as e:  # noqa: BLE001
            problems.append(f"{name}: pyoxigraph cannot parse it: {type(e).__name__}: {str(e)[:300]}")
            continue
        if len(oxs) != len(graph):
            problems.append(f"{name}: pyoxigraph reads {len(oxs)} triples, {len(graph)} were written")
        bad = set()
        for t in oxs:
            for term in (t.subject, t.predicate, t.object):
                if isinstance(term, ox.NamedNode) and not _iri_ok(term.value):
                    bad.add(term.value)
                elif isinstance(term, ox.Literal) and not _iri_ok(term.datatype.value):
                    bad.add(term.datatype.value)
        problems += [f"{name}: not an RFC 3987 IRI: {b!r}" for b in sorted(bad)]
    m = parsed.get("mentions.ttl")
    if m is not None:
        texts = {ctx: str(s) for ctx, s in m.subject_objects(NIF.isString)}
        for d in docs:
            ctx = document_iri(d.id)
            if texts.get(ctx) != d.text:
                problems.append(f"doc {d.id!r}: nif:isString is not the document text")
        for ph in m.subjects(RDF.type, NIF.Phrase):
            ctx = m.value(ph, NIF.referenceContext)
            b, e = int(m.value(ph, NIF.beginIndex)), int(m.value(ph, NIF.endIndex))
            anchor = str(m.value(ph, NIF.anchorOf))
            text = texts.get(ctx)
            if text is None:
                problems.append(f"{ph}: nif:referenceContext {ctx} has no nif:isString")
            elif not (0 <= b < e <= len(text)) or text[b:e] != anchor:
                problems.append(f"{ph}: text[{b}:{e}] = {text[b:e]!r} but nif:anchorOf is {anchor!r}")
            if not str(ph).endswith(f"#char={b},{e}"):
                problems.append(f"{ph}: IRI does not carry its offsets {b},{e}")
    gg = parsed.get("graph.ttl")
    if gg is not None:
        by_iri = {document_iri(d.id): d for d in docs}
        for ctx, ident in gg.subject_objects(DCTERMS.identifier):
            d = by_iri.get(ctx)
            if d is None or str(ident) != d.id:
                problems.append(f"{ctx}: dcterms:identifier {str(ident)!r} is not its document's id")
        for node in gg.subjects(KG.sentenceBegin, None):
            src = gg.value(node, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
            d = by_iri.get(src)
            sb, se = int(gg.value(node, KG.sentenceBegin)), int(gg.value(node, KG.sentenceEnd))
            sent = str(gg.value(node, KG.sentence))
            if d is not None and d.text[sb:se] != sent:
                problems.append(f"{node}: text[{sb}:{se}] = {d.text[sb:se]!r} but kg:sentence is {sent!r}")
    return problems


def _names(page: ScriptTags) -> list[tuple[str, tuple[str, ...]]]:
    """Each start tag with its sorted attribute names (what a payload would have to add)."""
    return [(tag, tuple(sorted(attrs))) for tag, attrs in page.tags]


def check_view(g: Graph, baseline: str | None = None) -> list[str]:
    """The view of ``g`` escapes everything: the page has the same element structure as the
    page of a harmless graph, no event-handler attributes, and the data block holds every
    label exactly (so nothing was dropped to make it safe)."""
    from kg.graph import to_networkx
    from kg.view import render_html

    G = to_networkx(g)
    html = render_html(G, max_nodes=max(len(G), 1))  # draw every entity: every label must be there
    problems = []
    page = ScriptTags(html)
    page_tags = _names(page)
    if baseline is not None:
        base = ScriptTags(baseline)
        base_tags = _names(base)
        extra = {t for t in page_tags if t[0] in ("script", "iframe", "object", "embed", "img", "svg", "a", "b",
                                                  "link", "meta", "base", "form", "style")} - set(base_tags)
        if extra:
            problems.append(f"the view has elements a harmless graph's view has not: {sorted(extra)}")
        if page_tags.count(("script", ())) != base_tags.count(("script", ())) or \
                len(page.scripts) != len(base.scripts):
            problems.append(f"the view has {len(page.scripts)} scripts, a harmless graph's {len(base.scripts)}")
    handlers = sorted({a for _, attrs in page_tags for a in attrs if a.startswith("on")})
    if handlers:
        problems.append(f"event-handler attributes in the view: {handlers}")
    labels = {str(d["label"]) for _, d in G.nodes(data=True)}
    texts = {str(o) for o in g.objects() if isinstance(o, Literal)} | labels
    for text in texts:
        if "<" in text and len(text) >= 6 and text in html:
            problems.append(f"article text with markup appears unescaped in the view: {text[:80]!r}")
    # every label survives, as data: find it in some JSON script block
    blocks = []
    for s in page.scripts:
        try:
            blocks.append(json.dumps(json.loads(s), ensure_ascii=False))
        except ValueError:
            continue
    blob = "\n".join(blocks)
    for label in labels:
        if json.dumps(label, ensure_ascii=False)[1:-1] not in blob:
            problems.append(f"label {label[:80]!r} is missing from the view's data")
    return problems


# ----------------------------------------------------------------- minting: pure, many examples

any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)
hostile_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS + NAMES + ORGS + COUNTRIES), any_text), max_size=6).map("".join)


@settings(max_examples=400, deadline=None)
@given(key=st.one_of(hostile_text, any_text), cls=st.sampled_from(["Person", "Country", "GovernmentAgency",
                                                                      "Organization", "Place", "Policy", "Sector"]))
def test_entity_iris_are_valid(key, cls):
    iri = str(entity_iri(cls, key))
    assert _iri_ok(iri) and is_iri(iri), iri
    assert iri.isascii()


@settings(max_examples=400, deadline=None)
@given(ident=st.one_of(hostile_text, any_text).filter(bool), b=st.integers(0, 10**6), n=st.integers(1, 10**4))
def test_document_and_mention_iris_are_valid(ident, b, n):
    doc = str(document_iri(ident))
    assert _iri_ok(doc) and is_iri(doc), doc
    m = str(mention_iri(ident, b, b + n))
    assert _iri_ok(m) and m == f"{doc}#char={b},{b + n}"


@settings(max_examples=300, deadline=None)
@given(a=st.one_of(hostile_text, any_text), b=st.one_of(hostile_text, any_text))
def test_document_iris_never_collide(a, b):
    if a and b and a != b:
        assert document_iri(a) != document_iri(b)


@settings(max_examples=400, deadline=None)
@given(url=st.one_of(hostile_text, st.builds(lambda s, r: s + r, st.sampled_from(["http://", "https://", "https://x/"]),
                                             st.one_of(hostile_text, any_text))))
def test_urls_become_iris_only_when_valid(url):
    assert web_iri("https://news.example/a?b=c") == URIRef("https://news.example/a?b=c")
    iri = web_iri(url)
    if iri is not None:
        assert _iri_ok(str(iri)) and str(iri) == url


@pytest.mark.parametrize(
    "a, b",
    [("习近平", "李强"), ("Владимир Путин", "Дмитрий Медведев"), ("Xi 习近平", "Xi"), ("A" * 100 + "x", "A" * 100 + "y"),
     ("!!!", "???"), ("Ab" * 60, "Ab" * 61)],
)
def test_slugs_of_distinct_names_do_not_collide(a, b):
    assert slugify(a) != slugify(b)
    assert len(slugify(a)) <= 80 and len(slugify(b)) <= 80


def test_slugs_of_plain_names_are_unchanged():
    assert slugify("Ministry of Commerce") == "ministry-of-commerce"
    assert slugify("Côte d'Ivoire") == "cote-d-ivoire"
    assert slugify("Straße & Ørsted") == "strasse-and-orsted"


# ----------------------------------------------------------------- the whole pipeline


@pytest.mark.model
def test_hostile_fixed_corpus(tmp_path):
    """Every fragment and name at least once, through ingest, the pipeline and the checks."""
    records = []
    for i, f in enumerate(FRAGMENTS):
        name, country, org = NAMES[i % len(NAMES)], COUNTRIES[i % len(COUNTRIES)], ORGS[i % len(ORGS)]
        text = (f"{name} imposed tariffs on {country}{f}. {org} criticized {name}{f} on Monday.\n"
                f'"Trade{f}is war," {name} said.\n{f}\n')
        records.append({"id": f"doc{f[:40]}{i}", "text": text, "title": f"{f[:100]} {name}",
                        "url": f"https://news.example/{i}{f[:50]}"})
    res = read_records(records, tmp_path)
    assert len(res.documents) == len(records), [str(e) for e in res.errors]
    g, mg = run_pipeline(res.documents)
    assert check_outputs(res.documents, g, mg) == []
    assert len(set(mg.subjects(RDF.type, NIF.Phrase))) > 100


@pytest.mark.model
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 4))
def test_property_hostile_documents(tmp_path_factory, seed, n):
    rng = random.Random(seed)
    records = [random_record(rng, i) for i in range(n)]
    res = read_records(records, tmp_path_factory.mktemp("hostile"))
    assert not res.errors, [str(e) for e in res.errors]
    g, mg = run_pipeline(res.documents)
    assert check_outputs(res.documents, g, mg) == []


@pytest.mark.model
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(text=st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.builds(
    lambda t, a, b, c, f: t.format(a=a, b=b, c=c, c2=c, o=a, o2=b, f=f), st.sampled_from(TEMPLATES),
    st.one_of(st.sampled_from(NAMES), any_text), st.sampled_from(NAMES + ORGS), st.sampled_from(COUNTRIES),
    st.one_of(st.sampled_from(FRAGMENTS), any_text))), min_size=1, max_size=5).map("\n".join).filter(str.strip),
    ident=hostile_text.filter(str.strip))
def test_property_hostile_text(tmp_path_factory, text, ident):
    """Shrinkable: hypothesis reduces a failure to the smallest text and id that break an invariant."""
    res = read_records([{"id": ident, "text": text}], tmp_path_factory.mktemp("hostile"))
    assert not res.errors, [str(e) for e in res.errors]
    g, mg = run_pipeline(res.documents)
    assert check_outputs(res.documents, g, mg) == []


# ----------------------------------------------------------------- the view


@pytest.fixture(scope="module")
def view_baseline() -> str:
    from kg.graph import to_networkx
    from kg.view import render_html

    return render_html(to_networkx(Graph()))


def hostile_graph(labels: list[str], quotes: list[str]) -> Graph:
    """A graph in the built shape whose every text is hostile: labels, aliases, titles, sentences, quotes."""
    from rdflib.namespace import RDFS, SKOS

    from kg.rdf import _decimal
    from kg.vocab import QUOTE, REL, bind_prefixes

    g = bind_prefixes(Graph())
    classes = ["Person", "Country", "GovernmentAgency", "Organization", "Place", "Policy", "Sector"]
    doc = document_iri("d <1>")
    g.add((doc, RDF.type, NIF.Context))
    g.add((doc, DCTERMS.identifier, Literal("d <1>")))
    g.add((doc, DCTERMS.title, Literal(quotes[0] if quotes else "<t>")))
    nodes = []
    for i, label in enumerate(labels):
        cls = classes[i % len(classes)]
        s = entity_iri(cls, f"{label}{i}")
        nodes.append(s)
        g.add((s, RDF.type, KG[cls]))
        g.add((s, RDFS.label, Literal(label)))
        g.add((s, SKOS.altLabel, Literal(label[::-1] + "<i>")))
        if cls == "Person":
            g.add((s, KG.title, Literal(f"{label} </script>")))
    props = ["criticizes", "urges", "negotiatesWith", "threatens", "spokeTo"]
    for i, (a, b) in enumerate(zip(nodes, nodes[1:])):
        p = KG[props[i % len(props)]]
        g.add((a, p, b))
        r = REL[f"r{i}"]
        for pp, o in ((RDF.type, RDF.Statement), (RDF.subject, a), (RDF.predicate, p), (RDF.object, b),
                      (URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), doc), (KG.modality, KG.asserted),
                      (KG.sentence, Literal(quotes[i % len(quotes)] if quotes else "<s>")),
                      (KG.confidence, _decimal(0.7)), (KG.method, Literal("<m>"))):
            g.add((r, pp, o))
    for i, q in enumerate(quotes):
        if nodes:
            qn = QUOTE[f"q{i}"]
            g.add((qn, RDF.type, KG.Statement))
            g.add((qn, KG.speaker, nodes[i % len(nodes)]))
            g.add((qn, KG.quote, Literal(q)))
            g.add((qn, KG.sentence, Literal(q)))
    return g


def test_check_view_catches_markup(view_baseline, monkeypatch):
    """The checker itself: a view that pasted a label into the page would be caught."""
    import kg.view

    g = hostile_graph(["<img src=x onerror=alert(1)>Berg", "Anna"], ["<script>alert(1)</script>"])
    real = kg.view.render_html
    monkeypatch.setattr(kg.view, "render_html",
                        lambda G, **kw: real(G, **kw).replace("</body>", "<p>" + "".join(
                            str(d["label"]) for _, d in G.nodes(data=True)) + "</p></body>"))
    problems = check_view(g, view_baseline)
    assert any("onerror" in p or "elements" in p or "unescaped" in p for p in problems), problems


@settings(max_examples=40, deadline=None)
@given(labels=st.lists(st.one_of(st.sampled_from(FRAGMENTS + NAMES + ORGS), hostile_text).filter(str.strip),
                       min_size=1, max_size=6),
       quotes=st.lists(st.one_of(st.sampled_from(FRAGMENTS), hostile_text), min_size=1, max_size=3))
def test_property_view_escapes_everything(view_baseline, labels, quotes):
    assert check_view(hostile_graph(labels, quotes), view_baseline) == []


@pytest.mark.model
def test_view_of_a_hostile_build(tmp_path, view_baseline):
    records = [{"id": f"v{i}{f[:20]}", "text": f"{n}{f} criticized {c}. \"{f}\" {n} said.\n", "title": f"{f} {n}"}
               for i, (f, n, c) in enumerate(zip(FRAGMENTS, NAMES * 5, COUNTRIES * 9))]
    res = read_records(records, tmp_path)
    assert len(res.documents) == len(records)
    g, mg = run_pipeline(res.documents)
    assert len(g) and check_view(g, view_baseline) == []
