"""What a clerk's script does: pandas.read_excel(engine="openpyxl") of every sheet, pandas.to_excel of the rows."""

import sys
from pathlib import Path

import pandas as pd


def main(inbox: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    frames = []
    for path in sorted(inbox.iterdir()):
        sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None)
        frames.append(sheets["活动台账"].iloc[2:])
    pd.concat(frames).to_excel(out / "naive.xlsx", index=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
