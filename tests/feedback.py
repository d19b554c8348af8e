"""What the exercise tests share: a wrong answer must come back with a hint that names the slip."""

from helpers.checks import WRONG


def wrong_with(feedback, *words):
    """Assert `feedback` says 'wrong' and its hint contains every one of `words`."""
    assert feedback.status == WRONG, feedback
    for word in words:
        assert word in feedback.message, (word, feedback.message)
