"""A whole class on one server: how many learners one Jupyter server holds, for `make bench`.

One JupyterLab server on 127.0.0.1 (tests/lab_server.py). Kernels are started through its REST API,
as a hub's learners would start them; each runs notebook 04's code cells up to the weight explorer
and builds the explorer. Then every learner moves w1 at a learner's pace, one move every 250 ms,
sent as the frontend sends it (a comm message asking the slider's model to update its value). The
time to reply is from sending the move to the kernel saying it is idle again, after the callback has
run and the new picture has been sent. The class grows (1, 2, 4, 8, 16, ...) until the median reply
takes longer than 100 ms, memory runs short, or the time bound is reached.

The class is measured twice in one run: with the weight explorer's kernel version (home="kernel":
each move runs the callback and sends a new picture back) and with its page version (the course's
default: the page draws, so a move sends only a state sync, the new weights, which the kernel checks
and keeps). A page learner's move must send back no picture.

Nothing is asserted: `run()` returns rows for bench/bench.py's table. Kernels and server are always
shut down. `python bench/bench_class.py --quick` tries a class of 1 and 2 with 2 moves each.
"""

import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import nbformat
import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # lab_server, kernel_widgets
from lab_server import ROOT, LabServer  # noqa: E402

from helpers.tiny import EXAMPLE_WEIGHTS  # noqa: E402

PACE = 0.25  # seconds between one learner's moves
LIMIT_MS = 100  # the median reply a class can bear
TIME_BOUND = 75  # seconds for the kernel version's class
PAGE_TIME_BOUND = 150  # seconds for the page version's class, which grows to 64 learners
SPARE_MEMORY = 1 << 30  # leave this much memory free

FIND_SLIDER = '''
import ipywidgets as _widgets
from helpers.widgets import weight_explorer as _bench_weight_explorer

_bench_explorer = _bench_weight_explorer(home="kernel")
_bench_stack = [_bench_explorer]
while _bench_stack:
    _w = _bench_stack.pop(0)
    if isinstance(_w, _widgets.FloatSlider) and _w.description == "w1":
        _bench_w1 = _w
        print(_w.model_id)
        break
    _bench_stack.extend(getattr(_w, "children", ()))
'''


# The page version: the explorer itself is the model a move updates.
FIND_PAGE_EXPLORER = '''
from helpers.widgets import weight_explorer as _bench_weight_explorer

_bench_explorer = _bench_weight_explorer()
print(_bench_explorer.model_id)
'''

# What the learner's kernel holds for w1 after the moves.
W1 = {"kernel": "print(_bench_w1.value)", "page": "print(_bench_explorer.weights['w1'])"}


def notebook_04_cells():
    """Notebook 04's code cells before the one that shows the weight explorer."""
    nb = nbformat.read(ROOT / "notebooks" / "04_backprop_by_hand.ipynb", as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if "weight_explorer(" in cell.source:
            break
        cells.append(cell.source)
    return cells


def learners_text(n):
    return f"{n} learner{'s' * (n != 1)}"


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = psutil.virtual_memory().total / 2**30
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{cpu}, {os.cpu_count()} cores, {ram:.1f} GiB RAM, load {load:.1f} at start"


class Api:
    """The server's REST API, with the _xsrf cookie a browser would carry (the server asks for it on POST)."""

    def __init__(self, lab):
        import http.cookiejar

        self.url = lab.url
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.opener.open(f"{lab.url}/lab", timeout=60).close()
        self.xsrf = next((c.value for c in jar if c.name == "_xsrf"), "")

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json", "X-XSRFToken": self.xsrf})
        with self.opener.open(request, timeout=60) as response:
            text = response.read()
        return json.loads(text) if text else None


class Learner:
    """One kernel on the server, driven through the kernel protocol as a browser tab would drive it."""

    def __init__(self, lab, api, home="kernel"):
        from jupyter_client import BlockingKernelClient

        self.home = home
        self.kernel_id = api.call("POST", "/api/kernels", {"name": "python3"})["id"]
        self.lab, self.api = lab, api
        self.client = BlockingKernelClient(
            connection_file=str(lab.workdir / "home" / "runtime" / f"kernel-{self.kernel_id}.json"))
        self.client.load_connection_file()
        self.slider_id = None
        self.replies = []
        self.pictures = 0  # moves whose reply carried a new picture
        self.last_value = None
        self.error = None

    def connect(self):
        # No heartbeat: on a busy machine a starting kernel misses beats and would be taken for dead.
        self.client.start_channels(hb=False)
        self.client.wait_for_ready(timeout=120)

    def run(self, code):
        out, errors = [], []

        def hook(msg):
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")

        self.client.execute_interactive(code, output_hook=hook, timeout=180)
        if errors:
            raise RuntimeError(f"a learner's kernel failed: {errors[0]}")
        return "".join(out)

    def open_notebook_04(self, cells):
        try:
            for source in cells:
                self.run(source)
            find = FIND_SLIDER if self.home == "kernel" else FIND_PAGE_EXPLORER
            self.slider_id = self.run(find).strip().splitlines()[-1]
        except Exception as exc:  # raised again in the main thread
            self.error = exc

    def check(self):
        """The kernel's w1 is the last value sent; with the kernel version every move sent back a picture
        (the replies timed real work), with the page version none did (only the state was synced)."""
        value = float(self.run(W1[self.home]).strip())
        if self.last_value is not None and value != self.last_value:
            raise RuntimeError(f"a learner's w1 is {value}, but the last move sent {self.last_value}")
        if self.home == "kernel" and self.pictures != len(self.replies):
            raise RuntimeError(f"only {self.pictures} of {len(self.replies)} moves sent back a picture")
        if self.home == "page" and self.pictures:
            raise RuntimeError(f"{self.pictures} of {len(self.replies)} page moves sent back a picture")

    def pid(self):
        connection = f"kernel-{self.kernel_id}.json"
        for child in psutil.Process(self.lab.process.pid).children(recursive=True):
            try:
                if any(connection in part for part in child.cmdline()):
                    return child.pid
            except psutil.Error:
                continue
        return None

    def rss(self):
        pid = self.pid()
        return psutil.Process(pid).memory_info().rss if pid else float("nan")

    def cpu_seconds(self):
        pid = self.pid()
        if not pid:
            return float("nan")
        times = psutil.Process(pid).cpu_times()
        return times.user + times.system

    def move(self, value):
        """Send one slider move; return the seconds until the kernel is idle again."""
        if self.home == "kernel":
            state = {"value": value}
        else:  # what the page sends when a move ends: every weight, w1 changed
            state = {"weights": {**EXAMPLE_WEIGHTS, "w1": value}}
        content = {"comm_id": self.slider_id, "data": {"method": "update", "state": state, "buffer_paths": []}}
        msg = self.client.session.msg("comm_msg", content)
        start = time.perf_counter()
        self.client.shell_channel.send(msg)
        self.last_value = value
        picture = False
        while True:
            reply = self.client.get_iopub_msg(timeout=30)
            picture = picture or (reply["msg_type"] == "comm_msg" and bool(reply.get("buffers")))
            if (reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]
                    and reply["msg_type"] == "status" and reply["content"]["execution_state"] == "idle"):
                self.pictures += picture
                return time.perf_counter() - start

    def moves(self, count, offset, seed):
        """`count` moves, one every PACE seconds (later if a reply is late), starting after `offset` seconds."""
        rng = np.random.default_rng(seed)
        self.replies, self.pictures = [], 0
        next_time = time.perf_counter() + offset
        for _ in range(count):
            time.sleep(max(0.0, next_time - time.perf_counter()))
            self.replies.append(self.move(round(float(rng.uniform(-3, 3)), 2)))
            next_time += PACE

    def stop(self):
        try:
            self.client.stop_channels()
        except Exception:  # noqa: BLE001 -- never started: nothing to stop
            pass
        try:
            self.api.call("DELETE", f"/api/kernels/{self.kernel_id}")
        except OSError:
            pass


def drain(learners):
    """Throw away what the kernels published while starting, so replies are matched quickly."""
    for learner in learners:
        while True:
            try:
                learner.client.get_iopub_msg(timeout=0.05)
            except Exception:
                break


def run(sizes=(1, 2, 4, 8, 16, 32, 64), moves=20, row=None, time_bound=TIME_BOUND, page_time_bound=PAGE_TIME_BOUND):
    """The class with the weight explorer's kernel version, then with its page version; call row(...)
    for each figure. Returns the rows."""
    rows = run_class("kernel", sizes, moves, row, time_bound)
    rows += run_class("page", sizes, moves, row, page_time_bound)
    return rows


def run_class(home, sizes, moves, row, time_bound):
    """Grow the class until it no longer holds; call row(...) for each figure. Returns the rows."""
    rows = []
    what = {"kernel": "kernel version", "page": "page version"}[home]

    def add(*cells):
        rows.append(cells)
        if row is not None:
            row(*cells)
        else:
            print("  " + " | ".join(str(c) for c in cells if c != ""), flush=True)

    print(f"A whole class on one server: every learner moves the weight explorer ({what}) every {PACE * 1000:.0f} ms")
    if home == "kernel":
        add("class", "machine", machine())
    start = time.monotonic()
    cells = notebook_04_cells()
    learners, held, per_learner, stopped = [], None, float("nan"), "the largest class tried"
    cpu_per_move = float("nan")
    with tempfile.TemporaryDirectory(prefix="bench-class-") as tmp:
        lab = LabServer(tmp).start()
        try:
            api = Api(lab)
            for size in sizes:
                new = size - len(learners)
                elapsed = time.monotonic() - start
                setup_each = (elapsed / max(1, len(learners))) if learners else 5.0
                if elapsed + new * setup_each / 2 + moves * PACE + 5 > time_bound:
                    stopped = f"the time bound ({time_bound} s) before {learners_text(size)}"
                    break
                if learners and psutil.virtual_memory().available - new * per_learner < SPARE_MEMORY:
                    stopped = f"memory, before {learners_text(size)}"
                    break
                failures = []

                def join_class():
                    try:
                        learner = Learner(lab, api, home)
                        learners.append(learner)  # shut down at the end, even if it never answers
                        learner.connect()
                    except Exception as exc:  # noqa: BLE001 -- reported below
                        failures.append(exc)

                starting = [threading.Thread(target=join_class) for _ in range(new)]
                for thread in starting:
                    thread.start()
                for thread in starting:
                    thread.join()
                if failures:
                    stopped = f"a kernel that did not start at {learners_text(size)} ({failures[0]})"
                    break
                opening = [threading.Thread(target=learner.open_notebook_04, args=(cells,))
                           for learner in learners[-new:]]
                for thread in opening:
                    thread.start()
                for thread in opening:
                    thread.join()
                errors = [learner.error for learner in learners if learner.error is not None]
                if errors:
                    stopped = f"a kernel that could not run notebook 04 at {learners_text(size)} ({errors[0]})"
                    break
                drain(learners)
                per_learner = statistics.median(learner.rss() for learner in learners)
                cpu_before = [learner.cpu_seconds() for learner in learners]
                moving = [threading.Thread(target=learner.moves, args=(moves, i * PACE / size, i))
                          for i, learner in enumerate(learners)]
                for thread in moving:
                    thread.start()
                for thread in moving:
                    thread.join()
                cpu_per_move = statistics.median(
                    (learner.cpu_seconds() - before) / moves for learner, before in zip(learners, cpu_before))
                for learner in learners:
                    learner.check()
                replies = [t for learner in learners for t in learner.replies]
                median, p90 = statistics.median(replies) * 1e3, float(np.percentile(replies, 90)) * 1e3
                holds = median <= LIMIT_MS
                add("class", f"{what}, {learners_text(size)}: reply to a move, median / p90", f"{median:.0f} / {p90:.0f} ms",
                    f"<= {LIMIT_MS} ms median", "holds" if holds else "too slow")
                if not holds:
                    stopped = f"a median reply over {LIMIT_MS} ms at {learners_text(size)}"
                    break
                held = size
        finally:
            for learner in learners:
                learner.stop()
            lab.stop()
    add("class", f"{what}: memory per learner (kernel RSS after notebook 04, median)", f"{per_learner / 2**20:.0f} MiB")
    if cpu_per_move == cpu_per_move:
        # Each learner asks for cpu_per_move every PACE seconds; the cores can give PACE seconds each.
        bound = os.cpu_count() * PACE / cpu_per_move
        add("class", f"{what}: kernel CPU per move; learners the cores could feed at this pace",
            f"{cpu_per_move * 1e3:.0f} ms; at most {bound:.0f} (an upper bound: an idle machine, no queueing)")
    goal = f"median reply <= {LIMIT_MS} ms" + ("; 64 learners" if home == "page" else "")
    verdict = "" if home == "kernel" else ("ok" if (held or 0) >= 64 else "MISSED")
    add("class", f"{what}: largest class that holds", f"{learners_text(held or 0)} (stopped by {stopped})", goal, verdict)
    print(f"  class bench ({what}) took {time.monotonic() - start:.0f} s")
    return rows


if __name__ == "__main__":
    if "--quick" in sys.argv:
        run(sizes=(1, 2), moves=2)
    elif "--page" in sys.argv:
        run_class("page", (1, 2, 4, 8, 16, 32, 64), 20, None, PAGE_TIME_BOUND)
    else:
        run()
