"""What a clerk's script does: pandas.read_excel(engine="openpyxl") of every sheet of every ledger, then
pandas.to_excel of the rows it read, one sheet per ledger sheet (the pipeline's 活动明细, 问题整改 and
宣传报道 hold the same rows). Naming sheets after the folders writes only those (`活动台账` alone is the
narrower variant the benchmark also reports)."""

import sys
from pathlib import Path

import pandas as pd

SHEETS = ("活动台账", "问题整改", "宣传报道")


def main(inbox: Path, out: Path, written: tuple[str, ...] = SHEETS) -> None:
    out.mkdir(parents=True, exist_ok=True)
    frames: dict[str, list[pd.DataFrame]] = {name: [] for name in written}
    for path in sorted(inbox.iterdir()):
        sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None)
        for name in written:
            frames[name].append(sheets[name].iloc[2:])
    with pd.ExcelWriter(out / "naive.xlsx") as writer:
        for name in written:
            pd.concat(frames[name]).to_excel(writer, sheet_name=name, index=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), tuple(sys.argv[3:]) or SHEETS)
