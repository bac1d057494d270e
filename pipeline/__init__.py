"""创城台账汇总: validate and merge the units' ledgers, check the campaign rules, write the reports."""

__version__ = "0.1.0"
