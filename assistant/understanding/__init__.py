"""The understand step: what a redacted client message is about and whether it needs a human."""

from assistant.understanding.models import (
    EmotionVerdict,
    Evidence,
    SignalVerdict,
    Understanding,
)
from assistant.understanding.understander import Understander

__all__ = ["EmotionVerdict", "Evidence", "SignalVerdict", "Understander", "Understanding"]
