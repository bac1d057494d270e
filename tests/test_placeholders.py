"""campaign.yaml as shipped still holds placeholders (the contact, example units): the office is told once a
run, and no output prints a line whose value is still a placeholder."""

from pathlib import Path

import docx
import openpyxl
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config.campaign import load_campaign
from tests.ledgers import CAMPAIGN, activity, d, problem, write_ledger

SHIPPED = CAMPAIGN.read_text(encoding="utf-8")
REAL = "contact: 乡创城办 联系电话：0564-1234567"


def config(tmp_path: Path, *, contact: bool, examples: bool) -> Path:
    text = SHIPPED
    if contact:
        text = text.replace("contact: 乡创城办 联系电话：（请填写）", REAL)
    if examples:
        text = text.replace("    example: true\n", "")
    path = tmp_path / f"campaign_{contact}_{examples}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_one_warning_names_the_contact_and_the_example_units(tmp_path: Path) -> None:
    _, warnings = load_campaign(config(tmp_path, contact=False, examples=False))
    assert [w for w in warnings if "待替换" in w] == [
        "提示：campaign.yaml 中还有待替换的内容：联系方式（contact）尚未填写，通报、整改清单和模板暂不印联系方式；"
        "名册中仍有示例单位（荷花村、柳林村、白塔村、城西湖乡中心小学、乡便民服务中心），请换成本乡实际单位。"]
    _, only_contact = load_campaign(config(tmp_path, contact=False, examples=True))
    assert only_contact == ["提示：campaign.yaml 中还有待替换的内容：联系方式（contact）尚未填写，通报、整改清单和模板暂不印联系方式。"]
    _, filled = load_campaign(config(tmp_path, contact=True, examples=True))
    assert filled == []


def test_a_report_says_it_once(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    result = CliRunner().invoke(main, ["report", "--inbox", str(tmp_path / "inbox"), "--outbox", str(tmp_path / "out"),
                                       "--as-of", "2026-12-20", "--config", str(CAMPAIGN)])
    assert result.output.count("待替换的内容") == 1


def outputs(tmp_path: Path, cfg: Path) -> str:
    """Everything a unit or the office reads from one run, as text."""
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))],
                 problems=[problem(d("2026-12-15"), found=d("2026-12-05"))])
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["report", "--inbox", str(box), "--outbox", str(out), "--as-of", "2026-12-20",
                                "--config", str(cfg)]).exit_code == 0
    assert runner.invoke(main, ["templates", "--out", str(tmp_path / "tpl"), "--config", str(cfg)]).exit_code == 0
    texts = [p.text for p in docx.Document(str(out / "工作通报_2026-12-20.docx")).paragraphs]
    for book in [*(out / "整改清单_2026-12-20").glob("*.xlsx"), *(tmp_path / "tpl").glob("*.xlsx")]:
        for ws in openpyxl.load_workbook(book).worksheets:
            texts += [str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    return "\n".join(texts)


def test_the_placeholder_contact_is_left_out_and_a_real_one_printed(tmp_path: Path) -> None:
    shipped = outputs(tmp_path / "shipped", config(tmp_path, contact=False, examples=False))
    assert "（请填写）" not in shipped and "联系方式：" not in shipped
    filled = outputs(tmp_path / "filled", config(tmp_path, contact=True, examples=False))
    assert "联系方式：乡创城办 联系电话：0564-1234567" in filled        # the bulletin and the templates' instructions
    assert "乡创城办 联系电话：0564-1234567" in filled.split("\n")      # the gap lists' 联系 line
