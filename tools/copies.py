"""A learner's own working copies of the course notebooks, kept apart from the course itself.

    python -m tools.copies                 # make the missing copies (make lab does this)
    python -m tools.copies --fresh 04      # restore one notebook to a fresh copy (make fresh NB=04)
    python -m tools.copies --fresh all     # restore every notebook (make fresh)

The course's notebooks/ stay exactly as published, so `git pull` and `make test` keep working;
a learner types their answers into my-notebooks/, which git ignores. A copy is made only when it
is missing, so nothing a learner saved is ever overwritten by `make lab`. Restoring a copy keeps
the learner's version in my-notebooks/replaced/ and says so; nothing is thrown away.

The course's other files in notebooks/ (the teacher's guide) are copied beside the notebooks, so
the links between them work the same in the copies as in the course.
"""

import argparse
import filecmp
import re
import shutil
import sys
import time
from pathlib import Path

COURSE = Path("notebooks")
COPIES = Path("my-notebooks")
REPLACED = "replaced"
NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"
DOCUMENT_PATTERN = "*.md"


def course_files(course=COURSE):
    """The course's notebooks (in course order) and documents that a learner gets a copy of."""
    course = Path(course)
    if not course.is_dir():
        raise FileNotFoundError(f"course folder {course} does not exist; run this from the course's top folder")
    notebooks = sorted(course.glob(NOTEBOOK_PATTERN))
    if not notebooks:
        raise FileNotFoundError(f"no notebooks matching {NOTEBOOK_PATTERN} in {course}")
    return notebooks + sorted(course.glob(DOCUMENT_PATTERN))


def make_copies(course=COURSE, copies=COPIES):
    """Copy every course file that is missing from `copies`; never touch one that is there.

    Returns the paths of the copies that were made (empty when every copy already existed).
    """
    copies = Path(copies)
    if copies.exists() and not copies.is_dir():
        raise NotADirectoryError(f"copies={str(copies)!r} should be a folder for your notebooks, but it is a file")
    copies.mkdir(parents=True, exist_ok=True)
    made = []
    for source in course_files(course):
        target = copies / source.name
        if not target.exists():
            shutil.copyfile(source, target)
            made.append(target)
    return made


def choose(which, course=COURSE):
    """The course files that `which` names: 'all', a number such as '04' or '4', or a file name."""
    files = course_files(course)
    if which is None or str(which).strip().lower() in ("", "all"):
        return files
    which = str(which).strip()
    name = Path(which).name
    if re.fullmatch(r"\d{1,2}", name):
        chosen = [f for f in files if f.name.startswith(f"{int(name):02d}_")]
    else:
        chosen = [f for f in files if name in (f.name, f.stem)]
    if not chosen:
        numbers = ", ".join(f.name[:2] for f in files if re.match(r"\d\d_", f.name))
        raise ValueError(f"NB={which!r} names no course notebook; expected a notebook's number "
                         f"({numbers}), its file name such as {files[0].name}, or 'all'")
    return chosen


def restore(which="all", course=COURSE, copies=COPIES, now=None):
    """Make the chosen copies fresh again, keeping each changed one in copies/replaced/.

    Returns a list of (copy, kept) pairs, one for each copy looked at: `kept` is where the
    learner's previous version was moved, or None when there was nothing to keep (the copy was
    missing, or already the same as the course's).
    """
    copies = Path(copies)
    chosen = choose(which, course)
    copies.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d %H.%M.%S", time.localtime(now))
    done = []
    for source in chosen:
        target = copies / source.name
        kept = None
        if target.exists() and not filecmp.cmp(source, target, shallow=False):
            kept = copies / REPLACED / f"{target.stem} (before {stamp}){target.suffix}"
            n = 2
            while kept.exists():
                kept = copies / REPLACED / f"{target.stem} (before {stamp}, {n}){target.suffix}"
                n += 1
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(target, kept)
        if kept is not None or not target.exists():
            shutil.copyfile(source, target)
        done.append((target, kept))
    return done


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.copies", description=__doc__.split("\n\n")[0])
    parser.add_argument("--course", default=str(COURSE), help="the course's notebooks (default: notebooks)")
    parser.add_argument("--copies", default=str(COPIES), help="your working copies (default: my-notebooks)")
    parser.add_argument("--fresh", metavar="NB", nargs="?", const="all",
                        help="restore one notebook (its number, e.g. 04) or all of them to a fresh copy")
    args = parser.parse_args(argv)
    try:
        if args.fresh is None:
            first_time = not Path(args.copies).exists()
            made = make_copies(args.course, args.copies)
            if first_time:
                print(f"Made your own copy of the course in {args.copies}/: type your answers there. "
                      f"The course in {args.course}/ stays as published; `make fresh NB=04` restores one "
                      "notebook to a fresh copy.")
            elif made:
                print(f"Added to {args.copies}/, new in the course: {', '.join(p.name for p in made)}. "
                      "Your other copies are left as they are.")
            else:
                print(f"Opening your own copies in {args.copies}/, as you left them "
                      "(`make fresh NB=04` restores one notebook to a fresh copy).")
            return 0
        done = restore(args.fresh, args.course, args.copies)
        for target, kept in done:
            if kept is not None:
                print(f"Replaced {target} with a fresh copy; your previous version is kept as {kept}.")
        untouched = [target.name for target, kept in done if kept is None]
        if untouched:
            print(f"Already fresh, nothing of yours replaced: {', '.join(untouched)}.")
        if any(kept for _, kept in done):
            print("A notebook that is open in JupyterLab: choose File ▸ Reload Notebook from Disk to see the fresh copy.")
        return 0
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
