"""The demo's returnee candidates: a role the enterprises post (in proportion to the jobs) or any major, one to three
degrees abroad at ARWU universities, work and internships, and the profile written in Chinese, English or both."""

from dataclasses import dataclass
from functools import cached_property

from matcher.demo import vocabulary as V
from matcher.demo.draws import LEVELS, Draws
from matcher.demo.reference import University
from matcher.demo.text import NOW_YEAR, Profile, candidate_text, en, form, languages, location, zh
from matcher.records import CandidateRecord, Education, Experience

CHAINS: dict[str, list[tuple[list[str], float]]] = {  # the degrees a profile lists, by its highest degree
    "bachelor": [(["bachelor"], 1)],
    "master": [(["bachelor", "master"], 1), (["master"], 1)],
    "doctorate": [
        (["bachelor", "master", "doctorate"], 35),
        (["master", "doctorate"], 35),
        (["bachelor", "doctorate"], 10),
        (["doctorate"], 20),
    ],
}


@dataclass(frozen=True)
class Study:
    """One degree of a candidate before it is written out."""

    level: str
    major: str  # catalogue name
    university: University
    end_year: int


class CandidateWriter(Draws):
    """Writes candidate records, drawing from the shared generator."""

    @cached_property
    def tail_majors(self) -> list[str]:
        """Catalogue majors without state-controlled placement (the K majors): the long tail a few candidates have."""
        return [name for name, row in self.majors.items() if not row["controlled"]]

    def candidate(self, index: int, roles: list[str], demand: list[float]) -> CandidateRecord:
        lang = self.pick(["zh", "en", "mixed"], [50, 40, 10])
        text = "en" if lang == "en" else "zh"  # headline, summary, locations, languages
        terms = "zh" if lang == "zh" else "en"  # skills, education, experience
        key, draw = None, self.rng.random()
        if draw < 0.78:  # most aim at a role the enterprises post, in proportion to the jobs posted
            key = self.pick(roles, demand)
            major = self.pick(V.ROLES[key]["majors"])
        elif draw < 0.83 and lang != "en":  # a few have any catalogue major
            major = self.pick(self.tail_majors)
        else:  # the others any major we can write in English
            major = self.pick(list(self.major_field))
        field = self.major_field.get(major, "general")
        spec, role = V.FIELDS[field], V.ROLES[key] if key else None
        studies = self.studies(major, field)
        last = studies[-1]
        education = [
            Education(
                school=s.university.name,
                degree=self.written_degree(s, spec["kind"], terms),
                major=self.written_major(s.major, terms),
                country=s.university.country,
                end_year=s.end_year,
            )
            for s in studies
        ]
        pool = (self.some(role["skills"], 3, 5) if role else []) + self.rng.sample(spec["skills"], len(spec["skills"]))
        skills = list(dict.fromkeys(form(s, terms) for s in pool))[: self.rng.randint(6, 12)]
        target = role["title"] if role else spec["titles"][1]
        experience = self.experiences(last, target, spec, role, terms)
        current = experience[0] if experience and not experience[0].end else None
        known = V.UNIVERSITIES.get(last.university.name)
        profile = Profile(
            level=last.level,
            end_year=last.end_year,
            school=last.university.name,
            school_zh=known[0] if known else last.university.name,
            degree=education[-1].degree,
            major=education[-1].major,
            major_zh=last.major,
            target=target,
            projects=spec["projects"],
            skills=skills,
            prefs=self.preferred_locations(),
            hometown=self.pick(V.HENAN_CITIES) if self.chance(0.45) else None,
            current_job=(current.title, current.organization) if current else None,
        )
        headline, summary = candidate_text(profile, text, self.rng)
        surname = self.pick(V.SURNAMES, [1 / (i + 8) for i in range(len(V.SURNAMES))])  # common ones first
        given = self.rng.sample(V.GIVEN_NAME_CHARS, k=self.pick([1, 2], [35, 65]))
        given_py = "".join(en(g) for g in given).capitalize()
        industries = [self.pick(role["industries"] if role else spec["industries"])]
        if self.chance(0.5):
            industries = list(dict.fromkeys([*industries, self.pick(spec["industries"])]))
        return CandidateRecord(
            source=V.SOURCE,
            external_id=f"cand-{index:05d}",
            url=None,
            fetched_at=None,
            name=f"{given_py} {en(surname)}" if lang == "en" else zh(surname) + "".join(zh(g) for g in given),
            headline=headline,
            summary=summary,
            skills=skills,
            education=education,
            experience=experience,
            location=location(last.university, text, self.rng, own_city=last.end_year >= NOW_YEAR),
            preferred_locations=[form(p, text) for p in profile.prefs],
            industries=industries,
            languages=languages(last.university.country_code, text, self.rng),
            email=f"{given_py.lower()}.{en(surname).lower()}.{index}@{V.EMAIL_DOMAIN}",
            consent_to_contact=self.chance(0.7),
            extras={
                "synthetic": True,
                "profile_language": lang,
                "major_codes": [self.majors[s.major]["code"] for s in studies],  # one per education entry
                "field": field,
                "target_role": key,
            },
        )

    def studies(self, major: str, field: str) -> list[Study]:
        """1-3 degrees abroad, oldest first; the latest in `major`, earlier ones often in its field."""
        chains = CHAINS[self.pick(LEVELS, [24, 60, 16])]
        levels = self.pick([c for c, _ in chains], [w for _, w in chains])
        end_year = self.pick(range(2018, 2028), [1, 1, 2, 2, 3, 4, 5, 7, 9, 6])
        related = list(V.MAJOR_FIELDS.get(field, {major: []}))
        studies: list[Study] = []
        university = self.university(field)
        for level in reversed(levels):
            if studies:
                if self.chance(0.4):  # an earlier degree elsewhere, often in the same country
                    university = self.university(field, university.country_code if self.chance(0.5) else None)
                major = major if self.chance(0.65) else self.pick(related)
            studies.insert(0, Study(level, major, university, end_year))
            short = university.country_code in {"GB", "HK", "SG", "AU"}
            years = {"bachelor": 3 if short else 4, "master": 1 if short else 2}.get(level) or self.rng.randint(3, 5)
            end_year -= years + (self.rng.randint(1, 2) if self.chance(0.2) else 0)
        return studies

    def university(self, field: str, country: str | None = None) -> University:
        country = country or self.pick(list(V.COUNTRIES), [c["weight"] for c in V.COUNTRIES.values()])
        fits = [u for u in self.universities[country] if self.fits(u.name, field)]
        return self.pick(fits, [u.weight for u in fits])

    @staticmethod
    def fits(name: str, field: str) -> bool:
        """Medical schools only for medical fields, schools of economics and business only for theirs."""
        if any(word in name for word in V.MEDICAL_SCHOOL_WORDS):
            return field in V.MEDICAL_FIELDS
        if any(word in name for word in V.BUSINESS_SCHOOL_WORDS):
            return field in V.BUSINESS_FIELDS
        return True

    def written_degree(self, study: Study, family: str, lang: str) -> str:
        if lang == "zh":
            return self.pick(V.DEGREES_ZH[study.level]).format(family=V.DEGREE_FAMILY_ZH[family])
        oxford = study.university.name == "University of Oxford"
        return self.pick([s for s in V.DEGREES_EN[study.level][family] if s != "DPhil" or oxford])

    def written_major(self, major: str, lang: str) -> str:
        return self.english_major(major) if lang == "en" and major in self.major_field else major

    def experiences(self, last: Study, target: str, spec: V.Field, role: V.Role | None, lang: str) -> list[Experience]:
        """0-3 entries, newest first: jobs abroad after the latest degree, internships before it."""
        country = V.COUNTRIES[last.university.country_code]
        found: list[Experience] = []
        if last.end_year < NOW_YEAR and self.chance(0.75):
            start = last.end_year
            jobs = 2 if NOW_YEAR - start >= 3 and self.chance(0.35) else 1
            for n in range(jobs):
                end = "" if n == jobs - 1 else str(self.rng.randint(start + 1, NOW_YEAR - 1))
                month = self.rng.randint(7, 10)
                found.insert(0, self.experience(target, spec, role, country, lang, f"{start}-{month:02d}", end))
                start = int(end or NOW_YEAR)
        summers = [year for year in range(last.end_year - 2, last.end_year) if year < NOW_YEAR]
        count = min(3 - len(found), len(summers), self.pick([0, 1, 2], [3, 4, 2]))
        for year in sorted(self.rng.sample(summers, count), reverse=True):
            summer = (f"{year}-06", f"{year}-09")
            if self.chance(0.4):  # a summer in a lab
                lab = self.pick(V.GENERIC_ORGS)
                found.append(self.experience("研究助理|Research Assistant", spec, None, country, lang, *summer, lab))
            else:
                title = f"{zh(target)}实习生|{en(target)} Intern" if role else spec["titles"][0]
                found.append(self.experience(title, spec, role, country, lang, *summer))
        return found

    def experience(
        self,
        title: str,
        spec: V.Field,
        role: V.Role | None,
        country: V.Country,
        lang: str,
        start: str,
        end: str,
        org: str = "",
    ) -> Experience:
        org = org or f"{self.pick(V.ORG_FIRST_WORDS)} {self.pick(spec['org_words'])} {country['legal']}"
        if role:
            description = form(self.pick(role["duties"]), lang)
        elif title == spec["titles"][1]:
            description = form(spec["duty"], lang)
        else:  # an internship or a summer in a lab: what they did
            project = self.pick(spec["projects"])
            description = f"{en(project)[0].upper()}{en(project)[1:]}." if lang == "en" else f"{zh(project)}。"
        return Experience(
            title=form(title, lang),
            organization=form(org, lang),
            description=description,
            start=start,
            end=end,
        )

    def preferred_locations(self) -> list[str]:
        others = self.some(V.OTHER_CITIES, 1, 3)
        self.rng.shuffle(others)
        if self.chance(0.72):
            henan = [self.pick(V.HENAN_CITIES[1:])] if self.chance(0.2) else []
            return ["郑州|Zhengzhou", *henan, *others[: self.rng.randint(0, 2)]]
        return [*others, "郑州|Zhengzhou"] if self.chance(0.3) else others
