"""Every action_id, block_id and callback_id Rex uses, in one place."""

from enum import StrEnum


class CallbackId(StrEnum):
    JOIN = "rex.join"
    SCHEDULE = "rex.schedule"
    EVALUATION = "rex.evaluation"


class BlockId(StrEnum):
    JOIN_AGREE = "join.agree"
    JOIN_TEACH = "join.teach"
    JOIN_LEARN = "join.learn"
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
    SCHEDULE = "exchange.schedule"
    MET = "exchange.met"
    NOT_FIT = "exchange.not_fit"
    EVALUATE = "exchange.evaluate"
