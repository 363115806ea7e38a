"""The skill vocabulary: aliases, sub-skills and filler words, loaded from shipped data.

Why data and not code: community managers extend the vocabulary (a new tool, a local
abbreviation, a French wording) without a release, by passing their own files to
`load_vocabulary`. The shipped files live in `bot/data/` and are described in its README.

The modules: `lookup` (`Vocabulary`: alias lookup, typo repair, sub-skills), `loading`
(`load_vocabulary`, `default_vocabulary`: the curated files and a manager's own), `esco`
(the ESCO concepts, their folded names and word translations), `builder` (the state
files are read into) and `files` (the shipped data files). When two words are one word
(typos, roots, spellings) is `bot.matching.typos`.
"""
