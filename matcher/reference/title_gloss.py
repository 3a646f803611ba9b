"""English job words glossed in Chinese: "Wastewater Treatment Operator" -> "污水处理操作工".

Most known titles and every occupation name are Chinese, and the multilingual model matches a short English title
with a Chinese one less surely than two Chinese ones. The coder therefore also looks at an English or mixed title
through a word-by-word gloss (matcher/data/job-words-en-zh.csv, written for this project from common job-board
vocabulary; no labelled set was looked at): phrases first ("supply chain", "front end"), then single words; a word
the list does not know stays as written ("BMS", "Java").
"""

import csv
import re
from functools import lru_cache
from importlib.resources import files

WORDS_FILE = "job-words-en-zh.csv"
_TOKENS = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9][A-Za-z0-9'+#.\-]*")
_LONGEST_PHRASE = 3


@lru_cache(maxsize=1)
def job_words() -> dict[str, str]:
    """English word or phrase (lower case) -> Chinese."""
    with files("matcher").joinpath("data", WORDS_FILE).open(encoding="utf-8") as lines:
        return {row["english"].casefold(): row["chinese"] for row in csv.DictReader(lines)}


def english_gloss(text: str) -> str | None:
    """The title with its known English words in Chinese, or None when it has none."""
    words = job_words()
    tokens = _TOKENS.findall(text)
    out: list[str] = []
    glossed = False
    i = 0
    while i < len(tokens):
        for length in range(min(_LONGEST_PHRASE, len(tokens) - i), 0, -1):
            chinese = words.get(" ".join(tokens[i : i + length]).casefold())
            if chinese:
                out.append(chinese)
                glossed = True
                i += length
                break
        else:
            out.append(tokens[i])
            i += 1
    if not glossed:
        return None
    text_out = ""
    for token in out:  # Chinese runs join up; a Latin word keeps a space on either side
        latin = token[0].isascii()
        if text_out and (latin or text_out[-1].isascii()):
            text_out += " "
        text_out += token
    return text_out
