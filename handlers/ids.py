"""Every action_id, block_id and callback_id Rex uses, in one place."""

from enum import StrEnum


class CallbackId(StrEnum):
    JOIN = "rex.join"
    PROFILE = "rex.profile"
    ADD_SKILL = "rex.add_skill"
    PAUSE = "rex.pause"
    SCHEDULE = "rex.schedule"
    EVALUATION = "rex.evaluation"


class BlockId(StrEnum):
    JOIN_AGREE = "join.agree"
    TEACH_SKILLS = "skills.teach"
    LEARN_SKILLS = "skills.learn"
    PROFILE_BIO = "profile.bio"
    PROFILE_LANGUAGES = "profile.languages"
    PROFILE_PREFERENCE = "profile.preference"
    SKILL_KIND = "skill.kind"
    SKILL_LABEL = "skill.label"
    SKILL_LEVEL = "skill.level"
    SKILL_NOTE = "skill.note"
    PAUSE_UNTIL = "pause.until"
    HOME_ACTIONS = "home.actions"
    FORGET_ACTIONS = "forget.actions"
    INTRO_ACTIONS = "intro.actions"
    FOLLOWUP_ACTIONS = "followup.actions"
    SCHEDULE_WHEN = "schedule.when"
    SCHEDULE_PLACE = "schedule.place"
    EVAL_SATISFACTION = "eval.satisfaction"
    EVAL_GOAL = "eval.goal"
    EVAL_HOURS = "eval.hours"
    EVAL_COMMENT = "eval.comment"


class ActionId(StrEnum):
    INPUT = "value"
    SKILL_SEARCH = "skill.search"
    EDIT_PROFILE = "home.edit_profile"
    ADD_SKILL = "home.add_skill"
    PAUSE = "home.pause"
    RESUME = "home.resume"
    MATCH_NOW = "home.match_now"
    FORGET = "privacy.forget"
    SCHEDULE = "exchange.schedule"
    MET = "exchange.met"
    NOT_FIT = "exchange.not_fit"
    EVALUATE = "exchange.evaluate"
