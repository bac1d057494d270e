"""Which characters a text in campaign.yaml may hold, for every text that reaches the outputs.

A bulletin (.docx) and a workbook (.xlsx) are XML 1.0, which cannot hold most control characters: python-docx
refuses them when the bulletin is written, after every ledger was read. A YAML escape such as "\\x01" in quotes,
or a text pasted from another program, brings them in; campaign.yaml is refused at load time instead.
"""

import re

UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0 cannot hold: C0 controls but tab, line feed and carriage return; U+FFFE, U+FFFF; lone surrogates."""

LINE_BREAK = re.compile(r"[\t\n\r\x85\u2028\u2029]")
"""Tabs and line breaks: a document holds them, but a name is one line (a unit's reminder starts with its name, a
gap list is a file named after it), so a name is refused with them while a free text such as contact keeps them."""
