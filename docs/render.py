"""Render outputs as a person sees them: LibreOffice → PDF (→ PNG). Used by tests and `make screenshots`."""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def available() -> bool:
    return all(shutil.which(tool) for tool in ("soffice", "pdftotext", "pdftoppm", "pdfinfo"))


def to_pdf(files: list[Path], out: Path) -> list[Path]:
    """Convert spreadsheets and documents to PDF with a throwaway LibreOffice profile."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={Path(profile).as_uri()}", "--convert-to", "pdf",
                        "--outdir", str(out), *map(str, files)], check=True, capture_output=True, timeout=300)
    return [out / f"{f.stem}.pdf" for f in files]


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def printed_size(pdf: Path, word: str) -> float:
    """The size in points at which a run of Chinese characters is printed (each is one em wide), taken from
    where the PDF puts its first occurrence: the font size times the print scale."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    found = re.search(rf'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">{re.escape(word)}</word>', boxes)
    if found is None:
        raise ValueError(f"{word} is not printed in {pdf.name}")
    return (float(found[2]) - float(found[1])) / len(word)


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def first_page_png(pdf: Path, target: Path, *, dpi: int = 80) -> None:
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                   check=True, capture_output=True)


def screenshots(folder: Path) -> None:
    """`make screenshots`: run the demo and keep PNGs of 总览 and one gap list for the README."""
    from click.testing import CliRunner

    from pipeline.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo"
        result = CliRunner().invoke(main, ["demo", "--dir", str(demo)])
        if result.exit_code != 0:
            raise SystemExit(result.output)
        book = next((demo / "outbox").glob("督查汇总表_*.xlsx"))
        gap_list = next((demo / "outbox").glob("整改清单_*/白塔村.xlsx"))
        book_pdf, gap_pdf = to_pdf([book, gap_list], Path(tmp) / "pdf")
        folder.mkdir(parents=True, exist_ok=True)
        first_page_png(book_pdf, folder / "总览.png")
        first_page_png(gap_pdf, folder / "整改清单.png")


if __name__ == "__main__":
    screenshots(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
