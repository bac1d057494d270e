"""Beside the stages, used only by the entry point: archive of inbox files, run history, run lock."""
