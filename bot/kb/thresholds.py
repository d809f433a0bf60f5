"""The cut-offs of the answer / clarify / no-answer decision (decide.py).

Every index build calibrates them (calibrate.py) and stores them in the
manifest; `BOT_ANSWER_THRESHOLD`, `BOT_CLARIFY_THRESHOLD` and
`BOT_CLARIFY_MARGIN` override the first three (Settings.threshold_override).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

NEVER = 2.0  # a level no confidence or similarity reaches


@dataclass(frozen=True)
class Thresholds:
    """`answer`: the top candidate is answered outright at or above this
    confidence, provided no runner-up is close: `margin` is a ratio of
    distances, a runner-up is close when the top's distance (1 - score) is at
    least `margin` times its own (decide.is_close).
    `clarify`: at or above it the first candidates are offered as buttons;
    below it the bot says it does not know. `small_talk`: a declined message
    at least this near a bundled out-of-scope message is chit-chat, not a gap.
    """

    answer: float
    clarify: float
    margin: float
    small_talk: float = NEVER

    def overridden(self, override: tuple[float, float, float] | None) -> Thresholds:
        """These, with the configured (answer, clarify, margin) in their place if any;
        the small-talk level is always the calibrated one."""
        if override is None:
            return self
        answer, clarify, margin = override
        return replace(self, answer=answer, clarify=clarify, margin=margin)
