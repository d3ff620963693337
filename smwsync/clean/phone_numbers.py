"""Phone numbers in free text, found by their shape however they are written (pure).

A number is found by its shape, not looked up: a UK number (07700 900123, +44 7700 900123,
447700900118, +44 (0)113 496 0000, (0113) 496 0000, 0800 123 4567 ...) is 0 and 9 or 10
digits, or +44, 0044 or 44 and 9 or 10 digits; any other international number is + or 00 and
8 to 15 digits; a North American number pasted without +1 is three groups split the same way
("(555) 123-4567", "555-123-4567", "555.123.4567"; by spaces alone only after "Call", "Tel" and
the like, since a meeting id is written so). Between two digits may be up to three spaces,
dots, dashes (em dash and minus sign too), middle dots, slashes, underscores, brackets or line
breaks; "ext" or "/4" may follow. A word may run into the number on either side
("Mob07700900119", "Call07700900119now"), but letters that make it part of an id or a code
leave it alone: small hex letters ("0123456789ab", "deadbeef0113496000"), one letter or capitals
after it ("01632960123X", "AB07700900119CD"), digits after the letters ("07700900119ab12"), a
digit before them ("Room 2B01632960123").
Shape catches numbers in ranges a number library calls invalid (Ofcom's drama numbers, newly
allocated ranges) and needs no data that goes out of date; for privacy, a number missed is worse
than a reference number removed.

Before the shapes are tried the text is read as digits: every Unicode digit (full-width
"０７７００", Arabic-Indic, Devanagari ...) as its ASCII digit, a full-width plus as "+", and a
letter O written among digits ("O77OO 9OO123") as a zero. That reading keeps every character
in its place, so what is found is cut from the text as it was typed.

What is left alone: dates ("23/03/2027", "01.02.2027 12.00", "23 03 2027"), times, postcodes,
prices, scores ("0-1 2-3 4-5"), numbers inside longer ones (an ISBN, a 15-digit booking
reference, "smw-0123456789ab"), and a number without a "+" straight after a word that says it
is a reference ("Order", "Zoom ID", "Event", "ISBN", "#"; but "Phone no:" is a phone number).
"""

from __future__ import annotations

import re
import unicodedata

from smwsync.clean.text import folded

# The fewest digits a number found here has: + or 00 and 8 digits ("+500 12345").
FEWEST_DIGITS = 8

# Between two digits: up to three spaces, dots, dashes (em dash and minus sign too), middle dots,
# slashes, underscores, brackets or a line break (never ":" or ",", so times and prices are left
# alone).
_SEPARATORS = " \u00a0.-\u2010\u2011\u2012\u2013\u2014\u2212\u00b7\u2022()/_\n"
_GAP = f"[{re.escape(_SEPARATORS)}]{{0,3}}"
_DASHES = "\\-\u2010-\u2014\u2212"
_BODY = (
    # (every number starts with a digit, "+" or "("; saying so first lets the search pass over
    # every other character at once, without trying each shape there)
    r"(?=[\d+(])"
    # not inside a longer number ("01.02.2027 12.00", "978-0-306-40615-7"); a word just
    # before is fine ("Mob07700900119")
    r"(?<![\d+])(?<!\d[.\-\u2010-\u2014\u2212/_])"
    r"(?:"
    # +, 00, and 8 to 15 digits, the first 1-9 ("+44 (0)7700 900123" is + and 13 digits)
    rf"(?:\+|00){_GAP}[1-9](?:{_GAP}\d){{7,14}}"
    # 44 without the +, an optional (0), then 9 or 10 digits starting 1, 2, 3 or 7 (the
    # numbers people give); not glued to a word, a dash or a slash, where it is an id in a
    # link ("tickets-441731088277")
    rf"|(?P<bare>(?<![\w\-/#])44{_GAP}(?:\(0\){_GAP})?[1-37](?:{_GAP}\d){{8,9}})"
    # a national number: 0 and 9 or 10 digits, the first 1-9; an area code may be bracketed
    rf"|\(?0{_GAP}[1-9](?:{_GAP}\d){{8,9}}"
    # a North American number without +1, as pasted from elsewhere: an area code (2-9 first)
    # in brackets, or three groups split by the same dash or dot ("(555) 123-4567",
    # "555-123-4567", "555.123.4567"), or by spaces alone ("555 123 4567": a phone number
    # only after "Call", "Tel" and the like, since a meeting id is written so too); "1-" may
    # come first. Not after a word, a dash, a dot or a slash (a slug, a version).
    rf"|(?P<nanp>(?<![\w/.#{_DASHES}])(?:1[ \u00a0.{_DASHES}]?)?"
    rf"(?:\([2-9]\d\d\)[ \u00a0]?\d{{3}}[ \u00a0.{_DASHES}]"
    rf"|[2-9]\d\d(?:(?P<sep>[.{_DASHES}])\d{{3}}(?P=sep)|(?P<spaced> )\d{{3}} ))\d{{4}})"
    r")"
    # and then no more digits, so a longer number (a reference, a date and time, an id) is not
    # cut in two; but "/4" (another last digit) may follow
    r"(?![.:\-\u2010-\u2014\u2212_]?\d)(?!/(?!\d{1,2}(?![\d./\-]))\d)"
)
# A number may run straight into a word ("Call07700900119now"): `_word_after_is_glue` says
# when. `_PHONE_WITHOUT_WORD_AFTER` is the number with no letter after it but "ext", tried
# where what runs on is not a word, so a shorter reading is still found.
_PHONE = re.compile(_BODY)
_PHONE_WITHOUT_WORD_AFTER = re.compile(_BODY + r"(?!(?!ext)[^\W\d_])")
# Words that say the number after them is a reference, not a phone number ("Meeting ID: 443
# 647 986 834", "Order #4477...", "ISBN 0-306-40615-2"): enough to doubt a number with no +.
_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:id|ref|reference|order|booking|ticket|invoice|account|event|meeting|webinar|"
    r"passcode|code|isbn(?:-?1[03])?|no)\b(?:\W{0,3}(?:number|no|num)\b)?|#)\W{0,3}\Z",
    re.IGNORECASE,
)
# Words for a phone. "Phone no: 4477...", "Contact no. 0770..." are phone numbers: "no" after
# these words is "number".
_PHONE_WORDS = r"phone|tel|telephone|mobile|mob|cell|call|ring|text|txt|sms|whatsapp|contact|fax"
_PHONE_NO = re.compile(rf"\b(?:{_PHONE_WORDS})\W{{0,3}}no\W{{0,3}}\Z", re.IGNORECASE)
# A date written with spaces ("23 03 2027", "1 4 27"): the day, month and year of a date, not
# a phone number, when the match starts inside one.
_SPACED_DATE = re.compile(r"(?<!\d)(?:[0-2]?\d|3[01]) (?:0?[1-9]|1[0-2]) (?:(?:19|20)\d\d)(?!\d)")
# Single digits with mixed separators ("0-1 2-3 4-5"): scores or a list, not one number.
_SINGLE_DIGITS = re.compile(r"\d[-\u2013]\d(?:[ ,]{1,2}\d[-\u2013]\d){2,}")
# A word run into the number ("Mob07700900119"), and what comes before the word: a number glued
# to a word is a phone number, unless the word is part of an id ("smw-cd0157027657", "2B01632").
_GLUED_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]+\Z")
_HEX = re.compile(r"[a-f]+")  # an id is written in small letters; "Dad" is a word
_LETTERS = re.compile(r"[^\W\d_]+")
# A word for a phone just before the number ("Call", "ring", "Tel:", "Phone no."): then
# whatever runs on after it is a word, and a number split by spaces alone is a phone number.
_PHONE_WORD_BEFORE = re.compile(
    rf"(?<![^\W\d_])(?:{_PHONE_WORDS})(?:\W{{0,3}}(?:no|number))?\W{{0,3}}\Z",
    re.IGNORECASE,
)
# A day and month with a slash, dot or dash between ("23/03", "1.2.27"): a date, not a number.
_DATE = re.compile(r"(?<!\d)\d{1,2}[/.\-]\d{1,2}(?:[/.\-](?:\d{4}|\d{2}))?(?!\d)")
_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")
_DIGITS_WITH_OS = re.compile(r"(?<![0-9Oo])[0-9Oo]+")
# Where `_zeros_for_os` may change a run of digits and Os: a digit beside an O, or a capital O
# ending a run (the only runs it changes; a quick look that lets ordinary words through untouched).
_MAY_READ_AS_ZERO = re.compile(r"[0-9][Oo]|[Oo][0-9]|O(?![A-Za-z0-9])")
_ASCII_DIGIT = re.compile("[0-9]")
_PLUSES = str.maketrans({"＋": "+", "﹢": "+"})


def find_phone_numbers(text: str) -> list[tuple[int, int]]:
    """Where each phone number in `text` starts and ends, in order."""
    if not _has_a_digit(text):
        return []
    digits = read_as_digits(folded(text))
    if sum(digits.count(digit) for digit in "0123456789") < FEWEST_DIGITS:
        return []
    found = []
    for match in _PHONE.finditer(digits):
        if not _word_after_is_glue(match):
            # "0123456789ab": the letters are the rest of an id; but a shorter number before
            # a space may still be there ("+44 7700 900119 12ab")
            match = _PHONE_WITHOUT_WORD_AFTER.match(digits, match.start())
        if match is not None and not _doubtful(match):
            found.append(match.span())
    return found


def _word_after_is_glue(match: re.Match[str]) -> bool:
    """Whether what comes straight after the number leaves it a phone number: no letter, "ext",
    or a word run into it ("Call07700900119now", "ring01632960123today"); not the rest of a
    code: hex letters in small letters ("0123456789ab"; "Dad" is a word), one letter or
    capitals ("01632960123X", "AB07700900119CD"), or letters with digits after
    ("07700900119ab12"). After a word for a phone ("ring07700900119dad", "CALL07700900119NOW")
    any word is a word."""
    text = match.string
    word = _LETTERS.match(text, match.end())
    if word is None or word.group()[:3].lower() == "ext":
        return True
    if word.end() < len(text) and (text[word.end()].isdigit() or text[word.end()] == "_"):
        return False
    if _PHONE_WORD_BEFORE.search(text, max(match.start() - 20, 0), match.start()):
        return True
    letters = word.group()
    return len(letters) > 1 and not letters.isupper() and not _HEX.fullmatch(letters)


def _has_a_digit(text: str) -> bool:
    """Whether any character of `text` is a digit (str.isdigit: superscripts too)."""
    if text.isascii():
        return _ASCII_DIGIT.search(text) is not None
    return any(map(str.isdigit, text))


def _doubtful(match: re.Match[str]) -> bool:
    """A date with digits after it, or a bare 44 after a word like "ID": not a phone number."""
    if "/" in match.group() and _DATE.search(match.group()):
        return True
    before = match.string[max(match.start() - 20, 0) : match.start()]
    if _REFERENCE_BEFORE.search(before) and not _PHONE_NO.search(before):
        return not match.group().startswith("+")
    if _starts_inside_a_date(match):
        return True
    if _SINGLE_DIGITS.match(match.group()):
        return True
    if match.group("spaced") and not _PHONE_WORD_BEFORE.search(before):
        return True
    glued = _GLUED_WORD.search(before)
    if glued is None:
        return False
    word_start = match.start() - len(glued.group())
    part_of_an_id = word_start > 0 and (
        match.string[word_start - 1] in "-_/" or match.string[word_start - 1].isdigit()
    )
    return part_of_an_id or _HEX.fullmatch(glued.group()) is not None


def _starts_inside_a_date(match: re.Match[str]) -> bool:
    """Whether the number found begins inside a date written with spaces."""
    for date in _SPACED_DATE.finditer(match.string, max(match.start() - 6, 0), match.end()):
        if date.start() <= match.start() < date.end():
            return True
    return False


def read_as_digits(text: str) -> str:
    """`text` with every character in place, but Unicode digits, full-width pluses and the
    letter O among digits read as ASCII digits and "+"."""
    if not text.isascii():
        text = _NON_ASCII_DIGIT.sub(lambda match: str(unicodedata.decimal(match.group())), text)
        text = text.translate(_PLUSES)
    if _MAY_READ_AS_ZERO.search(text):
        text = _DIGITS_WITH_OS.sub(_zeros_for_os, text)
    return text


def _zeros_for_os(match: re.Match[str]) -> str:
    """A run of digits and Os: the Os are zeros when a digit is among them ("O77OO"), or when
    capital Os alone follow digits ("0113 496 OOOO"), but not the Os of a word running into
    the digits ("to07700...", "...900119on") or starting a word ("17:00. Order")."""
    run, start, text = match.group(), match.start(), match.string
    if run.isdigit():
        return run
    if not any(char.isdigit() for char in run):
        if match.end() < len(text) and text[match.end()].isalpha():
            return run  # the O of a word ("17:00. Order")
        window = text[max(start - 4, 0) : start]
        before = window.rstrip(_SEPARATORS)
        follows_digits = 0 < len(window) - len(before) <= 3 and before[-1:].isdigit()
        return run.replace("O", "0") if run.isupper() and follows_digits else run
    word_before = start > 0 and text[start - 1].isalpha()
    lead = len(run) - len(run.lstrip("Oo")) if word_before else 0
    word_after = match.end() < len(text) and text[match.end()].isalpha()
    tail = len(run) - len(run.rstrip("Oo")) if word_after else 0  # "...900119on Monday"
    middle = run[lead : len(run) - tail].replace("O", "0").replace("o", "0")
    return run[:lead] + middle + run[len(run) - tail :]
