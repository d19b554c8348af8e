"""Every widget can say that its kernel has gone, in the same words in both homes."""

import re

import pytest

import helpers.widgets as course_widgets
from helpers.widgets.notice import KERNEL_GONE, NOTICE_CLASS, KernelNotice
from helpers.widgets.page import module_names, module_source
from kernel_widgets import kernel_build


@pytest.mark.parametrize("name", course_widgets.__all__)
def test_every_kernel_widget_starts_with_a_notice_that_takes_no_room_until_the_kernel_goes(name):
    widget = kernel_build(name)
    assert isinstance(widget.children[0], KernelNotice) and widget.children[0] is widget.kernel_notice
    assert widget.kernel_notice.layout.display == "none"
    assert widget.kernel_notice.text == KERNEL_GONE
    assert "comm_live_update" in widget.kernel_notice._esm and NOTICE_CLASS in widget.kernel_notice._esm


@pytest.mark.parametrize("name", module_names())
def test_every_page_module_shows_the_same_words_when_its_kernel_goes(name):
    source = module_source(name)
    said = re.search(r'const KERNEL_GONE = "([^"]+)";', source).group(1)
    assert said == KERNEL_GONE
    assert len(re.findall(r"\n  kernelGone\(model, root\);", source)) == 1
    assert f'class: "{NOTICE_CLASS}"' in source and 'model.on("comm_live_update"' in source


def test_the_sentence_tells_the_learner_what_to_do():
    assert KERNEL_GONE.endswith("Run this cell again to bring it back.")
