"""The round engine: who meets whom this round. Slack-free and database-free.

Why it is shaped this way: a network of 100,000 members types a few tens of thousands of
distinct skill labels, so the engine compares *labels* once (`bot.matching.match_labels`)
and then works with label-level indexes; it never compares or enumerates pairs of people.

A round is chosen greedily in four phases, each serving people in priority order
(longest wait first, then most generous balance, then a seeded tie-break):

1. swaps: A teaches B and B teaches A (one meeting, two exchanges);
2. 3-cycles: A teaches B, B teaches C, C teaches A (one group DM);
3. peer groups: one teacher and 3-5 learners of the same skill (at most 6 people);
4. one-way pairs: each remaining learner gets the least-loaded teacher who can teach them.

Capacity: every lesson consumes one unit of its learner's capacity and one unit of its
teacher's, so a swap or cycle consumes one teacher unit and one learner unit of each
member. A group is ONE session, so it consumes ONE teacher unit (and one learner unit of
each learner): that is what makes groups worth proposing where teachers are scarce.

Partners in swaps and cycles are also served as learners, so they are chosen by learner
priority; load spreading (least-loaded teacher first) governs groups and one-way pairs.
Searches for swap and cycle partners look at a bounded number of candidates per label
pair, which keeps a round linear in members on adversarial data at the cost of rarely
missing a swap or cycle (the learner is then served by a group or a pair).

Who can meet (`bot.matching.meeting`): everyone in one exchange shares one language, in-person
members meet only people on their own site, and between people who may meet remotely a
partner whose working hours overlap is preferred (swaps, groups and pairs) but never
required. Each member's languages become a bitmask and their site an integer id before
the phases start, so every pair check stays O(1).

The modules, in the order a round uses them:

- `model`: what a round takes (`Candidate`, `PastExchange`, `RoundConfig`) and gives
  (`RoundResult`: `ProposedExchange`s of `Lesson`s, and `Unmatched` with its reason);
- `planner`: `plan_round`, the entry point, running the phases below in order;
- `state`: one round's indexes (people, labels, who may meet) and the bookkeeping of
  each lesson chosen, shared by the phases; `labels` gives skill labels their ids;
- `reciprocal`: swaps and 3-cycles, where everyone teaches and learns;
- `one_way`: peer groups and pairs, where a teacher is not taught back;
- `reasons`: why each member left out got nothing.
"""
