"""The exchange's state machine: which moves are allowed, and that ends are final."""

from bot import lifecycle
from storage.models import Exchange, ExchangeState


def test_transitions_follow_the_state_machine() -> None:
    held = Exchange(id=1, state=ExchangeState.HELD)
    assert lifecycle.can_move(held, ExchangeState.EVALUATED)
    assert not lifecycle.can_move(held, ExchangeState.DECLINED)
    for end in lifecycle.NEVER_HAPPENED | {ExchangeState.EVALUATED}:
        closed = Exchange(id=1, state=end)
        assert not any(lifecycle.can_move(closed, to) for to in ExchangeState)
    assert lifecycle.can_move(
        Exchange(id=1, state=ExchangeState.SCHEDULED), ExchangeState.SCHEDULED
    )  # rescheduling
