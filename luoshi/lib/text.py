"""Small helpers for Chinese text as offices write it."""

import re
import unicodedata

# Separators between names in one cell or phrase: 、 , , ; ; spaces, line breaks.
_NAME_SEPARATORS = re.compile(r"[、,,;;\s/]+")


def normalize(text: str) -> str:
    """Fold full-width forms to half-width and drop all white space.

    NFKC turns (、)、A、1 into (, ), A, 1 but keeps 、 and Chinese characters,
    so two spellings of one name compare equal.
    """
    folded = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"\s+", "", folded)


def split_names(text: str) -> list[str]:
    """Split a cell such as "县统计局、县财政局\\n各乡镇" into its names.

    Separators inside parentheses are kept, so 各镇(街道) stays one name.
    """
    text = unicodedata.normalize("NFKC", text or "")
    names, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if depth == 0 and _NAME_SEPARATORS.fullmatch(char):
            if current:
                names.append("".join(current))
                current = []
            continue
        current.append(char)
    if current:
        names.append("".join(current))
    return [name.strip() for name in names if name.strip()]


# A run of CJK characters, or a run of Latin letters and digits.
_TOKEN_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+")


def search_tokens(text: str) -> list[str]:
    """Tokens for a full-text index over Chinese, which has no spaces between words.

    A CJK run gives its overlapping bigrams (河湖保洁 → 河湖 湖保 保洁), so that a phrase
    query of the searched words' bigrams finds them inside any longer run. A single
    character stays as itself; Latin words and numbers stay whole, lower-cased.
    """
    folded = unicodedata.normalize("NFKC", text or "").lower()
    tokens: list[str] = []
    for run in _TOKEN_RUNS.findall(folded):
        if run[0].isascii() or len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens
