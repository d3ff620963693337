"""Keep text from the form inert in the files people open: no formulas in spreadsheets."""

from __future__ import annotations

# What a spreadsheet (Excel, LibreOffice, Google Sheets) may read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """Stop a spreadsheet reading a cell as a formula: prefix a quote to = + - @ starts."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
