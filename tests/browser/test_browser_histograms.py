"""The histogram explorer of notebook 09 in a real JupyterLab (Debian's chromium through Playwright).

One JupyterLab, one page and one Run All of `make bench`'s scratch notebook (bench/bench_browser.py)
holding the histogram explorer built normally and built in presentation mode:

- at 1366x768 (file browser shown), and built in presentation mode at 1280x720 (left sidebar closed),
  the whole widget, controls, labels and picture, is on screen at once and nothing inside it scrolls;
  on the projector both sliders are long enough to move by hand;
- a key press on the weight scale slider brings a new picture, and the picture on screen is the one
  Python draws for the value the slider's readout shows;
- pressed to its ends, the weight scale slider rewrites every layer's line: all saturated at 10, layers
  2 and 3 collapsed at 0.01; raw inputs from the dropdown saturate layer 1 alone.
"""

import pytest

import bench_browser
from lab_server import LabServer
from test_browser_projector_kernel_widgets import (
    SCREENS, SHORTEST_TRACK, measure, problems, short_tracks, shut_down_kernels, summary,
)

pytestmark = pytest.mark.browser

NAME = "histogram_explorer"
SLIDER = "weight scale"


@pytest.fixture(scope="module")
def lab_page(browser, tmp_path_factory):
    """(page, kernel client): the scratch notebook open in JupyterLab, every cell run once."""
    folder = tmp_path_factory.mktemp("histograms")
    lab = LabServer(folder).start()
    try:
        bench_browser.write_notebook(folder / "notebooks", [NAME], presentation=True)
        context = browser.new_context(viewport=bench_browser.SCREENS[False])
        page = context.new_page()
        page.set_default_timeout(60_000)
        bench_browser.open_notebook(page, lab)
        bench_browser.run_all(page, 3, timeout=180_000)  # the floor, the widget, the widget for the projector
        for key in (NAME, f"p_{NAME}"):
            page.locator(f".bench-{key} img").first.wait_for()
        client = bench_browser.kernel_client(lab)
        yield page, client
        client.stop_channels()
        shut_down_kernels(page)
        context.close()
    finally:
        lab.stop()


def slider(page):
    return page.locator(f".bench-{NAME} .widget-slider").filter(
        has=page.locator(".widget-label", has_text=SLIDER)).first


def picture_src(page):
    return page.locator(f".bench-{NAME} img").first.get_attribute("src")


def readout(page):
    return slider(page).locator(".widget-readout").inner_text()


def wait_for_readout_other_than(page, text, timeout=10):
    for _ in range(timeout * 20):
        if readout(page) != text:
            return readout(page)
        page.wait_for_timeout(50)
    raise AssertionError(f"the {SLIDER} slider's readout stayed at {text}")


def wait_for_words(page, words, timeout=15_000):
    """Wait until the widget's labels hold every one of `words`."""
    page.wait_for_function("""([key, words]) => {
        const text = [...document.querySelectorAll('.bench-' + key + ' .widget-html-content')]
                     .map((e) => e.textContent).join(' ');
        return words.every((w) => text.includes(w));
    }""", arg=[NAME, words], timeout=timeout, polling=50)


@pytest.mark.parametrize("presentation", [False, True], ids=["normal-1366x768", "presentation-1280x720"])
def test_the_whole_widget_is_on_screen_and_nothing_in_it_scrolls(lab_page, presentation):
    page, _ = lab_page
    bench_browser.show_screen(page, presentation)
    key = f"p_{NAME}" if presentation else NAME
    box = measure(page, key)
    print("\n" + summary(key, SCREENS[presentation], box))
    assert box["pictures"], f"{key}: no picture found"
    assert problems(box) == [], (box, problems(box))
    text, ok = bench_browser.fits(page, key)
    assert ok, text
    if presentation:
        assert len(box["tracks"]) == 2 and short_tracks(box) == [], (box["tracks"], SHORTEST_TRACK)


def test_a_key_press_brings_the_picture_python_draws_for_the_value_on_screen(lab_page):
    page, client = lab_page
    bench_browser.show_screen(page, False)
    page.locator(f".bench-{NAME}").scroll_into_view_if_needed()
    before = picture_src(page)
    slider(page).locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([key, src]) => document.querySelector('.bench-' + key + ' img').src !== src",
                           arg=[NAME, before], timeout=10_000, polling=20)
    assert readout(page) == "1.2"
    page.wait_for_timeout(300)  # the kernel has sent its last picture for the move
    state = bench_browser.kernel_state(client, NAME, SLIDER)
    assert state["value"] == 1.2
    assert page.evaluate(bench_browser.PICTURE_HASH, NAME) == state["shown"] == state["fresh"]


def test_the_ends_of_the_weight_scale_saturate_or_collapse_the_layers_and_raw_inputs_saturate_layer_1(lab_page):
    page, client = lab_page
    bench_browser.show_screen(page, False)
    page.locator(f".bench-{NAME}").scroll_into_view_if_needed()
    handle = slider(page).locator(".noUi-handle")
    handle.focus()
    page.keyboard.press("End")
    wait_for_words(page, ["layer 1: saturated", "layer 2: saturated", "layer 3: saturated", "5.9 times as much"])
    assert readout(page) == "10"
    handle.focus()
    page.keyboard.press("Home")
    wait_for_words(page, ["layer 2: collapsed", "layer 3: collapsed"])
    assert readout(page) == "0.01"
    presses = 0
    while readout(page) != "1" and presses < 40:  # back to the usual weights, a stop at a time
        before = readout(page)
        handle.focus()
        page.keyboard.press("ArrowRight")
        wait_for_readout_other_than(page, before)
        presses += 1
    wait_for_words(page, ["layer 1: lively", "layer 2: lively", "layer 3: lively"])
    page.locator(f".bench-{NAME} select").first.select_option(label="raw units (kg, cm)")
    wait_for_words(page, ["layer 1: saturated", "67% saturated", "layer 2: lively", "layer 3: lively"])
    assert bench_browser.kernel_state(client, NAME, "inputs")["value"] == "raw"
