"""Fuzzing the reader with mutated real workbooks: no unhandled exception, and few generic reasons.

FUZZ_EXAMPLES sets the number of cases (CI: 2,000; `make fuzz`: 20,000 with a random seed).
The generic reason "内部结构错误" is what is left when no specific cause could be named. Every failure
mode seen in this mutation mix (truncation, bad deflate data, checksums, missing parts, broken XML,
shared strings, encodings, reader panics) has its own words, so the generic share is about 0.2 % of
refusals; the bound of 5 % leaves room for library changes but fails if a new mode goes unnamed at scale.
"""

import io
import os
import re
import zipfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config.campaign import Campaign
from pipeline.config.roster import Roster
from pipeline.model import Refusal, Submission
from pipeline.read.ledger import read_ledger
from pipeline.read.refusals import RefusalCode
from tests.ledgers import activity, d, problem, write_ledger
from tests.test_messy import FIXTURES

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2000"))
GENERIC = "内部结构错误"


def _seeds(tmp: Path) -> list[bytes]:
    ledger = write_ledger(tmp / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-05")), activity("12月9日", "大行动", "小手拉大手", "三十", 序号=2)],
                          problems=[problem(d("2027-01-10"))])
    return [ledger.read_bytes(), *((FIXTURES / f"乡妇联_libreoffice.{ext}").read_bytes() for ext in ("xls", "ods", "xlsx"))]


def _rezip(data: bytes, change: str, pick: int, text: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        items = [(i.filename, src.read(i)) for i in src.infolist()]
    index = pick % len(items)
    name, body = items[index]
    if change == "drop":
        del items[index]
    elif change == "duplicate":
        items.insert(index, (name, body))
    elif change == "rename":
        items[index] = (name + "x", body)
    elif change == "mangle":
        items[index] = (name, re.sub(rb'="[^"]*"', lambda _: b'="' + text + b'"', body, count=1 + pick % 5))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for n, b in items:
            dst.writestr(n, b)
    return out.getvalue()


def _mutate(seed: bytes, data: st.DataObject) -> bytes:
    kind = data.draw(st.sampled_from(["flip", "truncate", "drop", "duplicate", "rename", "mangle"]))
    if kind == "flip":
        out = bytearray(seed)
        for _ in range(data.draw(st.integers(1, 8))):
            pos = data.draw(st.integers(0, len(out) - 1))
            out[pos] ^= 1 << data.draw(st.integers(0, 7))
        return bytes(out)
    if kind == "truncate" or not seed.startswith(b"PK"):
        return seed[: data.draw(st.integers(0, len(seed) - 1))]
    text = data.draw(st.binary(max_size=12)).replace(b'"', b"")
    return _rezip(seed, kind, data.draw(st.integers(0, 200)), text)


def test_mutated_workbooks_never_crash_the_reader(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    seeds = _seeds(tmp_path)
    outcomes: Counter[str] = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize="FUZZ_RANDOM" not in os.environ,
              suppress_health_check=list(HealthCheck), database=None)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        seed = seeds[data.draw(st.integers(0, len(seeds) - 1))]
        mutated = _mutate(seed, data)
        result = read_ledger(mutated, file="样本.xlsx", sha256="0", campaign=campaign, roster=roster)
        assert isinstance(result, Submission | Refusal)
        if isinstance(result, Refusal):
            generic = result.code is RefusalCode.CORRUPTED and GENERIC in result.reason
            outcomes["generic" if generic else "specific"] += 1
        else:
            outcomes["read"] += 1

    check()
    refused = outcomes["generic"] + outcomes["specific"]
    assert sum(outcomes.values()) >= min(EXAMPLES, 2000) * 0.9
    assert outcomes["generic"] <= refused * 0.05, outcomes


def test_a_reader_panic_prints_nothing_but_the_reason(tmp_path: Path) -> None:
    """fixtures/calamine_panic.xls (a mutation this fuzzer found) makes the Rust reader panic."""
    import subprocess
    import sys

    from tests.ledgers import CAMPAIGN, ROOT

    box = tmp_path / "inbox"
    box.mkdir()
    (box / "坏.xls").write_bytes((FIXTURES / "calamine_panic.xls").read_bytes())
    result = subprocess.run([sys.executable, "-m", "pipeline", "validate", "--inbox", str(box), "--config",
                             str(CAMPAIGN), "--as-of", "2026-12-20"], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "RUST_BACKTRACE": "1"}, check=False)
    assert "panicked" not in result.stderr and "Traceback" not in result.stderr
    assert "原因：文件已损坏或不完整，无法读取（内部数据自相矛盾，读取程序无法解析），请重新保存后报送" in result.stdout
