"""Why a member left out of a round got nothing: the most hopeful reason, about one skill.

Run after the phases, on what they left (`bot.matching.rounds.state.RoundState`): it says
whether teachers were busy, avoided or recent, out of reach (another site, no common
language) or missing, so the member knows what would help (`Unmatched.reason_code`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

from bot.matching.meeting import NO_SITE
from bot.matching.rounds.model import ReasonCode, Unmatched
from bot.matching.rounds.state import BLOCKED_SCAN, RoundState

_NAMED_SITES = 3  # a "not matched" notice names at most this many sites
# How close someone left out came to a teacher, most hopeful first (see `_Reasons.why`).
_BUSY, _AVOIDED, _ELSEWHERE, _NO_LANGUAGE, _NOBODY = range(5)
_CODES: dict[int, ReasonCode] = {
    _BUSY: "teachers_busy",
    _AVOIDED: "only_avoided_or_recent",
    _NOBODY: "nobody_teaches",
}


def unmatched_members(state: RoundState) -> list[Unmatched]:
    """One reason per member left out, about the skill that explains it best."""
    reasons = _Reasons(state)
    result: list[Unmatched] = []
    for p, c in enumerate(state.people):
        if state.in_exchange[p]:
            continue
        incomplete = state.incomplete.get(p)
        if incomplete is not None:
            result.append(Unmatched(c.id, incomplete))
        elif not state.L[p]:
            result.append(Unmatched(c.id, "learner_at_capacity"))
        else:
            result.append(reasons.why(p))
    return result


class _Reasons:
    """The reasons for one round, with what the teachers of each label can reach (cached)."""

    def __init__(self, state: RoundState) -> None:
        self.state = state
        self.reach: dict[int, _Reach] = {}

    def why(self, p: int) -> Unmatched:
        """Busy teachers beat avoided or recent ones, then teachers out of reach (on another
        site, then speaking none of the member's languages), then no teacher at all; then the
        most wanted skill."""
        state = self.state
        verdicts: list[tuple[int, int, int]] = []  # (severity, -demand, position)
        elsewhere: dict[int, tuple[list[int], bool]] = {}
        for position, lab in enumerate(state.L[p]):
            severity, out_of_reach, whole = self.verdict(p, lab)
            verdicts.append((severity, 1 - len(state.learners_of[lab]), position))
            elsewhere[position] = (out_of_reach, whole)
        severity, minus_demand, position = min(verdicts)
        member = state.people[p]
        skill = state.L_words[p][position]
        if severity in _CODES:
            return Unmatched(member.id, _CODES[severity], skill, -minus_demand)
        if severity == _NO_LANGUAGE:
            languages = tuple(sorted({code.casefold() for code in member.languages}))
            return Unmatched(member.id, "no_shared_language", skill, -minus_demand, languages)
        teachers, whole = elsewhere[position]
        code: ReasonCode = "teachers_in_person"
        if state.in_person[p]:
            code = "teachers_elsewhere" if state.site[p] != NO_SITE else "no_site"
        sites = list(dict.fromkeys(state.site[q] for q in teachers))
        named = () if NO_SITE in sites or len(sites) > _NAMED_SITES else sites
        return Unmatched(
            member.id,
            code,
            skill,
            -minus_demand,
            sites=tuple(sorted(state.sites.name(site) for site in named)),
            teachers=len(teachers) if whole else max(len(teachers), 2),
        )

    def verdict(self, p: int, lab: int) -> tuple[int, list[int], bool]:
        """How close `p` came to a teacher of `lab`: a severity, the teachers who speak a
        language of `p`'s but are out of reach (a sample when there are many), and whether
        every teacher was looked at (beyond `BLOCKED_SCAN`, per-label summaries decide)."""
        state = self.state
        teachers = (q for t in state.scores[lab] for q in state.teachers_of[t] if q != p)
        looked = list(islice(teachers, BLOCKED_SCAN))
        if not looked:
            return _NOBODY, [], True
        whole = next(teachers, None) is None
        mine = state.speaks[p]
        fitting: list[int] = []
        out_of_reach: list[int] = []
        for q in looked:
            if mine & state.speaks[q]:
                (fitting if state.fits(p, q) else out_of_reach).append(q)
        speaking = fitting or out_of_reach
        if whole:
            if any(state.pair(p, q) not in state.blocked for q in fitting):
                return _BUSY, [], True
            if fitting:
                return _AVOIDED, [], True
            return (_ELSEWHERE, out_of_reach, True) if speaking else (_NO_LANGUAGE, [], True)
        speaks_any = bool(speaking)
        fits_any = bool(fitting)
        site = state.site[p]
        reachable = not state.in_person[p] or site != NO_SITE
        for t in state.scores[lab]:
            if fits_any or (speaks_any and not reachable):
                break
            reach = self.reach_of(t)
            speaks_any = speaks_any or bool(reach.speaks & mine)
            here = reach.at_site.get(site, 0) if site != NO_SITE else 0
            fits_any = bool(here & mine) or (not state.in_person[p] and bool(reach.open & mine))
        if fits_any:
            return _BUSY, [], False
        return (_ELSEWHERE, out_of_reach, False) if speaks_any else (_NO_LANGUAGE, [], False)

    def reach_of(self, t: int) -> _Reach:
        """Who the teachers of label `t` can meet, summed up (computed once, when needed)."""
        state = self.state
        reach = self.reach.get(t)
        if reach is None:
            reach = self.reach[t] = _Reach()
            for q in state.teachers_of[t]:
                mask = state.speaks[q]
                reach.speaks |= mask
                if not state.in_person[q]:
                    reach.open |= mask
                site = state.site[q]
                if site != NO_SITE:
                    reach.at_site[site] = reach.at_site.get(site, 0) | mask
        return reach


@dataclass(slots=True)
class _Reach:
    """The teachers of one label: languages of all (bitmask), of those who also meet
    remotely, and of those on each site."""

    speaks: int = 0
    open: int = 0
    at_site: dict[int, int] = field(default_factory=dict)
