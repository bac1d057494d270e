"""Small output helpers: Windows-safe file names and the CLI's entry points."""

import subprocess
import sys
from pathlib import Path

from pipeline.write.xlsx import display_width, safe_filename

ROOT = Path(__file__).resolve().parent.parent


def test_safe_filenames_on_windows() -> None:
    taken: set[str] = set()
    assert safe_filename("荷花村", taken=taken) == "荷花村"
    assert safe_filename("荷花村", taken=taken) == "荷花村_2"
    assert safe_filename('a/b\\c:d*e?"<>|', taken=taken) == "a_b_c_d_e_____"
    assert safe_filename("CON", taken=taken) == "_CON"
    assert safe_filename("  ..", taken=taken) == "未命名单位"
    assert len(safe_filename("长" * 200, taken=taken)) == 60


def test_cjk_counts_double() -> None:
    assert display_width("荷花村") == 6
    assert display_width("ab１") == 4


def test_python_dash_m_pipeline_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, cwd=ROOT,
                            check=False)
    assert result.returncode == 0
    assert "创城台账汇总" in result.stdout


def test_make_passes_variables_through() -> None:
    result = subprocess.run(["make", "-n", "-o", ".venv/.installed-stamp", "report", "AS_OF=2026-12-18", "INBOX=收件",
                             "OUTBOX=输出", "CONFIG=c.yaml"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert '.venv/bin/chuangcheng report --inbox "收件" --config "c.yaml" --as-of "2026-12-18" --outbox "输出"' in result.stdout
    assert "--record" not in result.stdout
    recorded = subprocess.run(["make", "-n", "-o", ".venv/.installed-stamp", "report", "AS_OF=2026-12-18", "RECORD=1"],
                              capture_output=True, text=True, cwd=ROOT, check=False)
    assert '.venv/bin/chuangcheng report --as-of "2026-12-18" --record' in " ".join(recorded.stdout.split())
