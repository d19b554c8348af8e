"""What every widget shares: how numbers are written, the one rule for 'diverged', log sliders that hit round values."""

import numpy as np
import pytest

from helpers.widgets._base import (
    MINUS, RISING_STEPS, fmt, log_slider, log_value, loss_diverged, number, short, signed, with_minus_signs,
)


def test_displayed_numbers_use_the_true_minus_sign():
    assert fmt(-0.37, 2) == f"{MINUS}0.37" and signed(-0.0188) == f"{MINUS}0.0188" and signed(0.5, 1) == "+0.5"
    assert number(-2e-5) == f"{MINUS}2.00e{MINUS}05" and short(-1.5) == f"{MINUS}1.5"
    assert fmt(-1e-9) == "0.0000" and signed(-1e-9) == "+0.0000"  # no sign on a number that rounds to zero


def test_text_made_elsewhere_gets_minus_signs_on_numbers_but_not_on_words():
    assert with_minus_signs("by -5.9e-04; cross-entropy; x-1; -.5") == \
        f"by {MINUS}5.9e{MINUS}04; cross-entropy; x-1; {MINUS}.5"


def test_a_loss_that_is_finite_and_merely_high_has_not_diverged():
    assert not loss_diverged([0.72, 83.3, 1.2, 40.0, 3.0])      # jumps about, ends high
    assert not loss_diverged([0.72, 0.9, 1.1, 1.3])               # too few steps to call it growth


def test_a_loss_that_overflows_or_keeps_growing_has_diverged():
    assert loss_diverged([0.7, np.nan]) and loss_diverged([0.7, np.inf]) and loss_diverged([0.7, 1e13])
    growing = 0.5 * 1.3 ** np.arange(RISING_STEPS + 2)
    assert loss_diverged(growing)
    assert not loss_diverged(np.r_[growing[::-1], growing[:RISING_STEPS - 1]])  # rose, but below its start
    with pytest.raises(ValueError, match="losses must hold at least one loss"):
        loss_diverged([])


@pytest.mark.parametrize("typed", [0.5, 50.0, 0.05, 0.01, 5.0, 1.16, 2.32, 100.0])
def test_a_log_slider_reads_back_the_round_value_the_browser_put_on_its_grid(typed):
    slider = log_slider(1.0, (-3, 2), "η (eta)")
    slider.value = 10 ** round(np.log10(typed), 3)  # the browser snaps the exponent to the slider's 0.001 grid
    assert log_value(slider) == typed


def test_figure_labels_write_the_same_minus_sign_and_no_sign_on_a_rounded_zero():
    from helpers.plots import _number

    assert _number(-0.5) == f"{MINUS}0.500" and _number(-0.0188, 4, signed=True) == f"{MINUS}0.0188"
    assert _number(-0.0001) == "0.000" and _number(-0.0001, signed=True) == "+0.000"
    assert _number(-2e5) == f"{MINUS}2.000e+05"


def test_an_opaque_figure_is_sent_without_its_alpha_channel_and_with_the_same_pixels():
    import io

    import numpy as np
    from PIL import Image

    from helpers.widgets._base import encode_png

    rng = np.random.default_rng(0)
    opaque = rng.integers(0, 256, (7, 5, 4), dtype=np.uint8)
    opaque[..., 3] = 255
    picture = Image.open(io.BytesIO(encode_png(opaque)))
    assert picture.mode == "RGB"
    assert np.array_equal(np.asarray(picture.convert("RGBA")), opaque)
    see_through = opaque.copy()
    see_through[2, 3, 3] = 40
    picture = Image.open(io.BytesIO(encode_png(see_through)))
    assert picture.mode == "RGBA"
    assert np.array_equal(np.asarray(picture), see_through)


def test_an_artist_kept_on_top_is_pasted_only_where_nothing_moved_under_it_and_matches_a_drawing():
    """BlitView(on_top=...) pastes a legend's pixels when no moving line reached under it, and draws it
    when one did: either way the picture is the one drawing everything in order gives."""
    from helpers.widgets._base import BlitView, new_figure

    def build(keep_on_top):
        fig = new_figure()
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, 1], label="still curve")
        (line,) = ax.plot([], [], lw=3, label="moving line")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        legend = ax.legend(loc="upper right", frameon=False)
        if keep_on_top:
            return line, BlitView(fig, [line], on_top=[legend])
        return line, BlitView(fig, [line, legend])

    (kept_line, kept), (drawn_line, drawn) = build(True), build(False)
    pasted = []
    for height in (0.1, 0.95, 0.2, 0.9, 0.5):  # low lines pass beside the legend, high ones under it
        for line in (kept_line, drawn_line):
            line.set_data([0, 1], [height, height])
        original_draw = kept.fig.draw_artist
        calls = []
        kept.fig.draw_artist = lambda artist: (calls.append(artist), original_draw(artist))
        picture = kept.png()
        del kept.fig.draw_artist
        pasted.append(kept.on_top[0] not in calls)
        assert picture == drawn.png(), f"line at {height}"
    assert pasted == [True, False, True, False, True]


def test_a_moving_text_is_pasted_only_when_it_and_what_lies_under_it_are_unchanged():
    """BlitView(reuse_text=True) draws the same pictures as drawing every moving text each time, through
    changes of words, colour, angle and a line passing under the text."""
    from helpers.widgets._base import BlitView, new_figure

    def build(reuse):
        fig = new_figure()
        ax = fig.add_subplot()
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        (line,) = ax.plot([0, 1], [0.1, 0.1], lw=4, zorder=1)
        word = ax.text(0.5, 0.5, "w1 = 0.50", ha="center", va="center", zorder=3)
        still = ax.text(0.2, 0.8, "h1", zorder=3)
        return (line, word, still), BlitView(fig, [line, word, still], reuse_text=reuse)

    (reused_artists, reused), (drawn_artists, drawn) = build(True), build(False)
    changes = [
        lambda line, word, still: word.set_text("w1 = 0.50"),       # the same words again: pasted
        lambda line, word, still: word.set_text("w1 = 0.75"),
        lambda line, word, still: word.set_color("#D55E00"),
        lambda line, word, still: word.set_rotation(180),            # the same box, turned over
        lambda line, word, still: word.set_position((0.4, 0.45)),
        lambda line, word, still: word.set_horizontalalignment("left"),
        lambda line, word, still: word.set_fontsize(14),
        lambda line, word, still: line.set_ydata([0.5, 0.5]),        # a line now under the text
        lambda line, word, still: line.set_ydata([0.8, 0.82]),       # ... and under the other one
        lambda line, word, still: line.set_ydata([0.1, 0.1]),
        lambda line, word, still: still.set_visible(False),
        lambda line, word, still: word.set_text(""),
    ]
    for change in changes:
        change(*reused_artists)
        change(*drawn_artists)
        assert reused.png() == drawn.png()
