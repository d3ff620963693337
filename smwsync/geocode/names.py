"""How people write council and place names, reduced to keys the gazetteer can look up.

Pure text functions and word lists: case and accents folded, apostrophes dropped, council
suffixes such as "City Council" or "Cyngor" stripped, and the everyday words that are also
place names ("Street", "March") told apart from real places.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping

_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018`\u00b4")
_WORD = re.compile(r"[a-z0-9]+")
# Mis-encoded names in the source data ("Sir Ynys Mï¿½n"): skipped, never matched.
_GARBLED = ("\ufffd", "\u00ef\u00bf", "\u00ef\u00be", "\u00c3")


def words(text: str) -> list[str]:
    """The words of `text`: case-folded, accents and apostrophes dropped, "&" read as "and"."""
    plain = text
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = plain.casefold().replace("&", " and ").translate(_APOSTROPHES)
    return ["st" if word == "saint" else word for word in _WORD.findall(plain)]


def garbled(name: str) -> bool:
    return any(mark in name for mark in _GARBLED)


# --- council names -------------------------------------------------------------------------


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _affixes(phrases: str) -> tuple[tuple[str, ...], ...]:
    found = [tuple(phrase.split()) for phrase in phrases.split(",")]
    return tuple(sorted(found, key=lambda affix: (-len(affix), affix)))


def _by_word(
    affixes: tuple[tuple[str, ...], ...], at_end: bool
) -> dict[str, list[tuple[str, ...]]]:
    """Affixes (longest first) by the word they end with, or start with, for quick lookups."""
    found: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for affix in affixes:
        found[affix[-1] if at_end else affix[0]].append(affix)
    return dict(found)


# Words around a council's name that say what kind of council it is, in English, Welsh
# ("Cyngor Sir" = county council) and Gaelic ("Comhairle nan" = council of the).
_COUNCIL_SUFFIXES = _affixes(
    "metropolitan borough council,metropolitan district council,county borough council,"
    "city and county council,mayoral combined authority,combined county authority,"
    "combined authority,unitary authority,city council,borough council,district council,"
    "county council,town council,council,corporation,cc,bc,dc,mbc,cbc,mdc,ua,ca,cca,mca,"
    "city,borough,district,county"
)
_COUNCIL_PREFIXES = _affixes(
    "cyngor bwrdeistref sirol,cyngor dinas a sir,cyngor dinas,cyngor,comhairle nan,"
    "comhairle na,comhairle,london borough of,royal borough of,metropolitan borough of,"
    "borough of"
)
_SUFFIXES_BY_LAST_WORD = _by_word(_COUNCIL_SUFFIXES, at_end=True)
_PREFIXES_BY_FIRST_WORD = _by_word(_COUNCIL_PREFIXES, at_end=False)
# Tried only when nothing matched with them: "City of Leeds Council" is Leeds, but
# "City of London" is its own council.
LOOSE_PREFIXES = _affixes("city of,county of,city and county of")
GENERIC_WORDS = _word_set("city of county borough district council and metropolitan")
# Words that say the writer means a combined authority or an upper-tier county.
COMBINED_WORDS = _word_set("combined ca cca mca mayoral region")
# Short answers that are not councils, whatever acronym they look like.
NOT_ACRONYMS = _word_set("tbc tba tbd na nil none all any uk gb nhs")
_ACRONYM_SMALL_WORDS = _word_set("and of upon on in a y nan na an")

# Names people use for their council that the mySociety data lacks or holds mis-encoded.
EXTRA_COUNCIL_NAMES: dict[str, tuple[str, ...]] = {
    "W06000001": ("Ynys Môn", "Sir Ynys Môn"),  # Isle of Anglesey; the data's Welsh is garbled
    "E06000022": ("B&NES", "BANES"),  # Bath and North East Somerset
    "N09000005": ("Derry", "Londonderry"),  # Derry City and Strabane
    "E06000021": ("Stoke",),  # Stoke-on-Trent
}

# Names people use for a place that GeoNames lacks, by the place's own name.
EXTRA_PLACE_NAMES: dict[str, tuple[str, ...]] = {"Derry": ("Londonderry",)}

SUGGESTION_CUTOFF = 0.75  # how alike (difflib's ratio) a name must be to be suggested


def typo_budget(word: str) -> int:
    """How many slips a word of a council's name can carry and still be recognised: none in
    a word of three letters or fewer, one up to eight letters ("Leds" for Leeds), two in a
    longer one ("Nottinghamshre")."""
    if len(word) < 4:
        return 0
    return 1 if len(word) <= 8 else 2


def _strip(tokens: list[str], affixes: Mapping[str, list[tuple[str, ...]]], at_end: bool) -> bool:
    """Remove the longest of `affixes` found at the end (or start) of `tokens`, leaving a name."""
    if not tokens:
        return False
    for affix in affixes.get(tokens[-1] if at_end else tokens[0], ()):
        size = len(affix)
        if len(tokens) > size and tuple(tokens[-size:] if at_end else tokens[:size]) == affix:
            if at_end:
                del tokens[-size:]
            else:
                del tokens[:size]
            return True
    return False


def council_key(text: str) -> str:
    """A council name cut to the words that tell councils apart: "Leeds City Council" -> "leeds"."""
    tokens = [word for word in words(text) if word != "the"]
    while _strip(tokens, _SUFFIXES_BY_LAST_WORD, at_end=True) or _strip(
        tokens, _PREFIXES_BY_FIRST_WORD, at_end=False
    ):
        pass
    return " ".join(tokens)


def acronyms_of(name: str) -> set[str]:
    tokens = [word for word in words(name) if word != "the"]
    found = set()
    for chosen in (tokens, [word for word in tokens if word not in _ACRONYM_SMALL_WORDS]):
        if len(chosen) >= 2:
            found.add("".join(word[0] for word in chosen))
    return {acronym for acronym in found if len(acronym) >= 3}


def text_parts(text: str) -> list[str]:
    return [part for part in re.split(r"[,;:/|()\[\]\n]|\s[-\u2013\u2014]\s", text) if part.strip()]


# --- places --------------------------------------------------------------------------------

# Place names that are everyday words in venues and addresses ("Church Hall", "High Street"):
# they count only as a whole part of an address ("..., Street" is the town in Somerset).
EVERYDAY_PLACE_NAMES = _word_set(
    "ash banks battle bow bridge broadway church cliffe dale deal fleet ford green grove "
    "hale hill hook hope lee march quarter rock sale sandy stone street valley ware wells "
    "wing"
)
# A place name followed by one of these is a street's name ("Calverley Street"), not the town.
STREET_WORDS = _word_set(
    "street st road rd lane ln avenue ave way drive place square sq terrace row walk "
    "crescent close gardens grove parade mews wharf quay boulevard"
)
# Words that do not stop a part of an address being "just the town": "Leeds LS1 1UR",
# "Leeds City Centre", "Cardiff, Wales".
_ADDRESS_NOISE = _word_set(
    "uk gb united kingdom england scotland wales northern ireland city centre center town"
)
_MIN_ALT_NAME = 5  # shorter GeoNames alternative names are mostly codes and word fragments


def is_noise(word: str) -> bool:
    return word in _ADDRESS_NOISE or any(char.isdigit() for char in word)


def usable_alt_name(name: str) -> bool:
    """GeoNames alternative names worth looking for: real spellings, not codes or fragments."""
    return (
        not name.islower()  # all-lowercase ones are machine transliterations
        and not name.isupper()  # "LON", "BHX": codes
        and sum(map(str.isalpha, name)) >= _MIN_ALT_NAME
        and not garbled(name)
    )
