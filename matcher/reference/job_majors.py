"""The majors a job asks for: as the posting lists them, as its requirements name them (专业要求), or — when it
names none — inferred from its title.

- Stated: sentences about the field of study ("…专业", "degree in …") are searched for catalogue names (longest
  first, so 材料化学 is not also read as 化学), class names ("计算机类", "计算机相关专业" -> class 0809) and, in
  English, the list after "degree in" matched against the catalogue's known English names.
- Inferred: the cleaned title is mapped like a degree name (multilingual model against every major's names);
  the closest majors scoring at least MIN_INFERRED_SCORE are the job's, marked inferred. On the synthetic demo
  jobs (300, seed 5) one of the three is among the majors the posting gives for 44% of jobs; comparing titles
  with the catalogue's employment directions (就业方向) instead: 21%; the two combined: 38%.
"""

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from matcher.reference.majors import MajorMapper, normalize_name
from matcher.reference.occupations import clean_title
from matcher.store import majors as major_store

MIN_INFERRED_SCORE = 0.45
INFERRED_MAJORS = 3

_FIELD_SENTENCE = re.compile(
    r"专业|学科|背景|major|degree|background|field|bachelor|master|\bB\.?Sc\b|\bM\.?Sc\b|\bB\.?Eng\b|\bPh\.?D\b", re.I
)
_SENTENCES = re.compile(r"[。；;！!？?\n]|(?<=\D)\.(?=\s|$)")
_CLASS_MENTION = "{stem}(?:类|相关|相近|等|专业|方向)"
_EN_LIST = re.compile(
    r"(?:degree|major|background|qualification|bachelor'?s?|master'?s?|B\.?Sc|M\.?Sc|B\.?Eng|M\.?Eng|Ph\.?D)s?"
    r"\s+(?:or above\s+|or higher\s+)?in\s+(.+)",
    re.I,
)
# "专业不限", "不限专业", "any major": the posting asks for no particular major, and none is inferred.
_ANY_MAJOR = re.compile(r"专业不限|不限专业|专业无要求|any (?:major|discipline|field)|all majors", re.I)
# A class named in a list before 相关专业/等专业/类专业: "计算机、电子信息等相关专业".
_LISTED_CLASS = "{stem}(?=[、，,/和及与][^。；;]*?(?:相关|等|类)专业)"
_EN_SPLIT = re.compile(r",|;|/|\bor\b|\band\b(?= [A-Z])", re.I)
_EN_TAIL = re.compile(r"\b(?:a |any )?(?:related|relevant|similar) (?:field|discipline|subject|major)s?.*$", re.I)


@dataclass(frozen=True)
class JobMajorCodes:
    codes: list[str]
    source: str  # "given" (the record lists them), "text" (its requirements), "inferred", "any" (专业不限), or ""


class JobMajors:
    def __init__(self, session: Session, mapper: MajorMapper) -> None:
        self._mapper = mapper
        majors = major_store.all_majors(session=session)
        self._names = sorted(((m.name, m.code) for m in majors), key=lambda pair: -len(pair[0]))
        classes = {m.class_name: m.class_code for m in majors}
        self._classes = [  # each class by its name, by its stem before 相关/等/专业…, and listed before 相关专业
            (
                re.compile(
                    "|".join((re.escape(name), _CLASS_MENTION.format(stem=stem), _LISTED_CLASS.format(stem=stem)))
                ),
                code,
            )
            for name, code in sorted(classes.items(), key=lambda pair: -len(pair[0]))
            for stem in [re.escape(name.removesuffix("类"))]
        ]

    def stated(self, text: str) -> list[str]:
        """Codes of the majors and classes the requirements name, in the order they appear."""
        found: list[tuple[int, str]] = []
        for sentence in _SENTENCES.split(text):
            if not _FIELD_SENTENCE.search(sentence):
                continue
            taken = [False] * len(sentence)
            for name, code in self._names:
                for match in re.finditer(re.escape(name), sentence):
                    if sentence[match.end() : match.end() + 1] == "类":  # "化学类" names the class, not 化学
                        continue
                    if not any(taken[match.start() : match.end()]):
                        taken[match.start() : match.end()] = [True] * (match.end() - match.start())
                        found.append((match.start(), code))
            for pattern, code in self._classes:
                for match in pattern.finditer(sentence):
                    if not any(taken[match.start() : match.end()]):
                        taken[match.start() : match.end()] = [True] * (match.end() - match.start())
                        found.append((match.start(), code))
            listed = _EN_LIST.search(sentence)
            if listed:
                for position, part in enumerate(_EN_SPLIT.split(_EN_TAIL.sub("", listed.group(1)))):
                    hits = self._mapper.map(part, 1) if normalize_name(part) else []
                    if hits and hits[0].score >= 1.0:  # only names known as written (catalogue, aliases, variants)
                        found.append((listed.start(1) + position, hits[0].code))
        return list(dict.fromkeys(code for _, code in sorted(found, key=lambda pair: pair[0])))

    def inferred(self, title: str) -> list[str]:
        """The majors a title points to when the posting names none (best first, confident ones only)."""
        # The model alone: a title is no degree name, and words it shares with one mislead (前端开发, 房地产开发与管理).
        hits = self._mapper.map(clean_title(title), INFERRED_MAJORS, lexical=False) if title.strip() else []
        return [hit.code for hit in hits if hit.score >= MIN_INFERRED_SCORE]

    def for_jobs(self, jobs: list[tuple[str, list[str], str]]) -> list[JobMajorCodes]:
        """(title, majors as given, requirements text) -> the codes and where they came from, for each job."""
        results: list[JobMajorCodes | None] = []
        to_infer: list[int] = []
        for position, (_, given, text) in enumerate(jobs):
            if given and (codes := self._mapper.job_codes(given)):
                results.append(JobMajorCodes(codes, "given"))
            elif _ANY_MAJOR.search(text):
                results.append(JobMajorCodes([], "any"))
            elif stated := self.stated(text):
                results.append(JobMajorCodes(stated, "text"))
            else:
                results.append(None)
                to_infer.append(position)
        for position in to_infer:
            codes = self.inferred(jobs[position][0])
            results[position] = JobMajorCodes(codes, "inferred" if codes else "")
        return [r if r is not None else JobMajorCodes([], "") for r in results]
