"""`python -m pipeline` runs the same CLI as the `chuangcheng` console script (the Windows path)."""

from pipeline.cli import main

main()
