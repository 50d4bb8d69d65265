"""Benchmark kg.ingest.read_inputs on many files (not a test: run it by hand).

    python bench/bench_ingest.py [N_FILES] [N_RECORDS]

Writes N_FILES .txt pages (article + chrome, built from the synthetic test
page), one JSONL with N_RECORDS records and 50 HTML pages to a temporary
folder, then times one read_inputs call over it.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import resource
from pathlib import Path

from kg.ingest import read_inputs

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "ingest"


def main(n_files: int = 3000, n_records: int = 10000) -> None:
    page = (DATA / "chrome_page.txt").read_text(encoding="utf-8")
    html = (DATA / "page.html").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i in range(n_files):
            d = root / f"d{i % 20:02d}"
            d.mkdir(exist_ok=True)
            (d / f"{i:05d}.txt").write_text(page.replace("12 percent", f"{i % 50} percent"), encoding="utf-8")
        with open(root / "records.jsonl", "w", encoding="utf-8") as f:
            for i in range(n_records):
                f.write(json.dumps({"id": f"r{i}", "text": page, "date": "2024-01-02"}) + "\n")
        for i in range(50):
            (root / f"p{i:02d}.html").write_text(html, encoding="utf-8")
        mb = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6
        t0 = time.perf_counter()
        res = read_inputs([root])
        dt = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        n = len(res.documents)
        print(f"{n} documents ({n_files} txt, {n_records} jsonl records, 50 html), {mb:.1f} MB, "
              f"{len(res.errors)} errors: {dt:.2f} s, {n / dt:,.0f} docs/s, {mb / dt:.1f} MB/s, "
              f"peak RSS {peak:.0f} MiB (documents kept in memory)")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
