"""Files the tool reads and writes: the `--output` report is written whole or not at all and never
over a spec file being read; write errors and a closed standard output end in a message and exit 2;
paths that are not regular files are refused before they are read."""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_spec) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.treaty").write_text(fresh_spec())
    return tmp_path


def leftovers(folder: Path) -> list[str]:
    """Temporary report files left behind."""
    return sorted(p.name for p in folder.rglob("*.tmp"))


# ---- --output never overwrites a spec file being read ----


@pytest.mark.parametrize("command", ["check", "lint"])
@pytest.mark.parametrize(
    "setup, output",
    [
        (lambda w: None, "x.treaty"),
        (lambda w: None, "./x.treaty"),
        (lambda w: (w / "alias.json").symlink_to(w / "x.treaty"), "alias.json"),
        (lambda w: os.link(w / "x.treaty", w / "hard.json"), "hard.json"),
        (lambda w: (w / "sub").mkdir(), "sub/../x.treaty"),
    ],
    ids=["same-name", "dot-slash", "symlink", "hard-link", "dotdot"],
)
def test_an_output_that_is_an_input_is_refused_before_anything_is_written(
    command: str, setup, output: str, work: Path, cli  # type: ignore[no-untyped-def]
) -> None:
    # Regression: `treaty check x.treaty --output x.treaty` truncated the spec to the report, exit 0.
    setup(work)
    before = (work / "x.treaty").read_bytes()
    run = cli(command, "x.treaty", "--output", output)
    assert run.code == 2
    assert run.err == f"treaty: --output {output} is x.treaty, which this run reads: refusing to overwrite it\n"
    assert run.out == ""
    assert (work / "x.treaty").read_bytes() == before
    assert leftovers(work) == []


@pytest.mark.parametrize("command", ["check", "lint"])
def test_an_output_inside_a_checked_folder_is_refused(command: str, work: Path, cli) -> None:  # type: ignore[no-untyped-def]
    # Regression: `--output dir/nato.treaty` while checking `dir/` overwrote that spec, then skipped it.
    (work / "dir").mkdir()
    (work / "x.treaty").rename(work / "dir" / "nato.treaty")
    before = (work / "dir" / "nato.treaty").read_bytes()
    run = cli(command, "dir", "--output", "dir/nato.treaty")
    assert run.code == 2
    assert "--output dir/nato.treaty is dir/nato.treaty, which this run reads" in run.err
    assert (work / "dir" / "nato.treaty").read_bytes() == before
    assert leftovers(work) == []


def test_an_output_that_a_spec_uses_is_refused(work: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """A file reached only through `use` is an input too: it is refused, the report is not written."""
    (work / "main.treaty").write_text('use "x.treaty"\nclaim extra: true expect holds\n')
    before = (work / "x.treaty").read_bytes()
    run = cli("check", "main.treaty", "--output", "x.treaty", "-j", "1")
    assert run.code == 2
    assert "treaty: --output x.treaty is x.treaty, which this run reads" in run.err
    assert (work / "x.treaty").read_bytes() == before
    assert leftovers(work) == []


def test_an_output_that_a_spec_with_errors_uses_is_refused(work: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (work / "main.treaty").write_text('use "x.treaty"\nclaim extra: nope expect holds\n')
    before = (work / "x.treaty").read_bytes()
    run = cli("lint", "main.treaty", "--output", "x.treaty")
    assert run.code == 2 and "which this run reads" in run.err
    assert (work / "x.treaty").read_bytes() == before


# ---- the report replaces the file only once it is complete ----


def test_a_report_replaces_the_file_with_its_mode_kept(work: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (work / "report.json").write_text("old report\n")
    os.chmod(work / "report.json", 0o640)
    run = cli("check", "x.treaty", "--output", "report.json", "--format", "json", "-j", "1")
    assert run.code == 0, run.err
    assert (work / "report.json").read_text().startswith("{")
    assert stat.S_IMODE(os.stat(work / "report.json").st_mode) == 0o640
    assert leftovers(work) == []


def test_a_new_report_has_the_usual_mode(work: Path, cli) -> None:  # type: ignore[no-untyped-def]
    mask = os.umask(0o027)
    try:
        run = cli("check", "x.treaty", "--output", "new.txt", "-j", "1")
    finally:
        os.umask(mask)
    assert run.code == 0, run.err
    assert stat.S_IMODE(os.stat(work / "new.txt").st_mode) == 0o640  # 0o666 less the umask, not mkstemp's 0o600


def test_a_report_is_written_through_a_symbolic_link(work: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (work / "reports").mkdir()
    (work / "reports" / "last.txt").write_text("old\n")
    (work / "last.txt").symlink_to(work / "reports" / "last.txt")
    run = cli("check", "x.treaty", "--output", "last.txt", "-j", "1")
    assert run.code == 0, run.err
    assert (work / "last.txt").is_symlink()
    assert "summary:" in (work / "reports" / "last.txt").read_text()


def limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))  # Python ignores SIGXFSZ: writes fail with EFBIG


def test_a_disk_that_fills_up_leaves_the_old_report_whole(work: Path, treaty_bin: Path) -> None:
    """The report is written beside the file and renamed over it only once complete: a write that
    fails (here: a file size limit, as a full disk would) leaves the old report as it was."""
    (work / "report.json").write_text("the previous report\n")
    proc = subprocess.run(
        [str(treaty_bin), "check", "x.treaty", "--output", "report.json", "--format", "json"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"},
        preexec_fn=limit_file_size,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == "treaty: cannot write report.json: File too large\n"
    assert (work / "report.json").read_text() == "the previous report\n"
    assert leftovers(work) == []


def test_dev_full_is_a_clear_error(work: Path, cli) -> None:  # type: ignore[no-untyped-def]
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    run = cli("check", "x.treaty", "--output", "/dev/full", "-j", "1")
    assert run.code == 2
    assert run.err == "treaty: cannot write /dev/full: No space left on device\n"


def test_a_device_is_written_directly(work: Path, cli) -> None:  # type: ignore[no-untyped-def]
    # /dev/null cannot be replaced by a rename (nor should it be): it is opened and written.
    run = cli("check", "x.treaty", "--output", os.devnull, "-j", "1")
    assert run.code == 0, run.err
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.parametrize("output, message", [(".", "cannot write .: Is a directory"), ("no/such/r.txt", "cannot write no/such/r.txt: ")])
def test_an_output_that_cannot_be_written_is_refused_before_checking(output: str, message: str, work: Path, cli) -> None:  # type: ignore[no-untyped-def]
    run = cli("check", "x.treaty", "--output", output)
    assert run.code == 2 and run.err.startswith(f"treaty: {message}")
    assert "claims" not in run.out


# ---- a closed standard output ----


def test_a_closed_standard_output_is_a_clear_error(work: Path, treaty_bin: Path) -> None:
    proc = subprocess.run(
        [str(treaty_bin), "check", "x.treaty"], cwd=work, stderr=subprocess.PIPE, text=True, timeout=120, preexec_fn=lambda: os.close(1)
    )
    assert proc.returncode == 2
    assert proc.stderr == "treaty: standard output is closed\n"


def test_a_closed_standard_output_is_not_needed_with_an_output_file(work: Path, treaty_bin: Path) -> None:
    proc = subprocess.run(
        [str(treaty_bin), "check", "x.treaty", "--output", "r.txt"],
        cwd=work,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.close(1),
    )
    assert proc.returncode == 0, proc.stderr
    assert "summary:" in (work / "r.txt").read_text()


COMMANDS = [["check", "x.treaty"], ["lint", "x.treaty"], ["compare", "x.treaty"], ["check", "x.treaty", "-j", "2"]]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_reader_that_went_away_is_exit_2_without_a_traceback(command: list[str], work: Path, treaty_bin: Path) -> None:
    """`treaty check ... | head -0`: the reader is gone before the report is written. The run did
    not deliver its verdicts, so it must not exit 0; it says why, once, and exits with 2."""
    read, write = os.pipe()
    os.close(read)  # (closed before the command starts: every write fails, none races with a reader)
    try:
        proc = subprocess.run([str(treaty_bin), *command], cwd=work, stdout=write, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == "treaty: standard output was closed before the report was complete (broken pipe)\n"


def test_a_reader_that_went_away_in_process(work: Path) -> None:
    from solver.cli import main

    class Gone:
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

    import io

    err = io.StringIO()
    assert main(["check", "x.treaty", "-j", "1"], out=Gone(), err=err) == 2  # type: ignore[arg-type]
    assert err.getvalue() == "treaty: standard output was closed before the report was complete (broken pipe)\n"


def test_python_ignores_sigpipe_here() -> None:
    """The tests above rely on writes to a closed pipe failing with EPIPE, which Python arranges."""
    script = "import signal; print(signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN)"
    assert subprocess.run([sys.executable, "-c", script], capture_output=True, text=True).stdout.strip() == "True"


# ---- paths that are not regular files ----


@pytest.fixture
def odd(work: Path) -> Path:
    """A folder with a good spec and `.treaty` names for things that are not regular files."""
    folder = work / "specs"
    folder.mkdir()
    (work / "x.treaty").rename(folder / "good.treaty")
    (folder / "zero.treaty").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.treaty")
    (folder / "to_pipe.treaty").symlink_to(folder / "pipe.treaty")
    return folder


NOT_REGULAR = {
    "specs/pipe.treaty": "is a named pipe, not a regular file: only regular files are read as specs",
    "specs/to_pipe.treaty": "is a named pipe, not a regular file: only regular files are read as specs",
    "specs/zero.treaty": "is a character device, not a regular file: only regular files are read as specs",
}


@pytest.mark.parametrize("command", ["check", "lint"])
def test_devices_and_pipes_in_a_checked_folder_are_diagnostics(command: str, odd: Path, treaty_bin: Path) -> None:
    # Regression: a `.treaty` link to /dev/zero ended in MemoryError, a named pipe blocked forever.
    proc = subprocess.run(
        [str(treaty_bin), command, "specs", "--format", "json"], cwd=odd.parent, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr
    import json

    diagnostics = {d["file"]: (d["code"], d["message"]) for d in json.loads(proc.stdout)["diagnostics"]}
    assert diagnostics == {name: ("E0020", message) for name, message in NOT_REGULAR.items()}
    if command == "check":
        assert json.loads(proc.stdout)["summary"]["claims"] == 4  # the good spec is still checked


def test_dev_zero_on_the_command_line(work: Path, cli, deadline) -> None:  # type: ignore[no-untyped-def]
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    with deadline(60):
        for argv in (["check", "/dev/zero"], ["lint", "/dev/zero"], ["prove", "/dev/zero", "true"], ["compare", "/dev/zero"]):
            run = cli(*argv)
            assert run.code == 2, argv
            assert "error[E0020]: is a character device, not a regular file" in run.err, argv


def test_a_named_pipe_is_not_opened_for_a_writer(work: Path, cli, deadline) -> None:  # type: ignore[no-untyped-def]
    os.mkfifo(work / "pipe.treaty")
    with deadline(60):  # a plain open() would wait here for a writer forever
        run = cli("check", "pipe.treaty")
    assert run.code == 2
    assert "pipe.treaty:0:0: error[E0020]: is a named pipe, not a regular file" in run.err


@pytest.mark.parametrize("target", ["pipe", "device"])
def test_use_of_a_device_or_a_pipe_is_a_diagnostic_at_the_use(target: str, work: Path, cli, deadline) -> None:  # type: ignore[no-untyped-def]
    if target == "pipe":
        os.mkfifo(work / "odd.treaty")
        kind = "a named pipe"
    else:
        if not os.path.exists("/dev/null"):
            pytest.skip("no /dev/null here")
        # A device inside the spec root (a link to /dev/zero would lead outside it: E0021).
        try:
            os.mknod(work / "odd.treaty", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("cannot create a device node here")
        kind = "a character device"
    (work / "main.treaty").write_text('claim c: true expect holds\nuse "odd.treaty"\n')
    with deadline(60):
        run = cli("check", "main.treaty")
    assert run.code == 2
    assert f'main.treaty:2:1: error[E0020]: `use "odd.treaty"` leads to {kind}, not a spec file' in run.err


def test_a_huge_file_is_refused_by_its_size_before_it_is_read(work: Path, cli, deadline) -> None:  # type: ignore[no-untyped-def]
    """A sparse file of 64 GiB: refused from its size alone (reading it would take the memory)."""
    with open(work / "huge.treaty", "wb") as f:
        f.truncate(64 << 30)
    with deadline(60):
        run = cli("check", "huge.treaty")
    assert run.code == 2
    assert f"huge.treaty:1:1: error[E0010]: file is too large ({64 << 30} bytes; the limit is 16777216)" in run.err


def test_a_file_just_over_the_limit_is_refused_and_one_at_the_limit_is_read(work: Path, cli) -> None:  # type: ignore[no-untyped-def]
    from treaty_dsl.parser import MAX_SOURCE_BYTES

    line = "# a comment line to fill the file\n"
    body = (line * (MAX_SOURCE_BYTES // len(line) + 1))[: MAX_SOURCE_BYTES - 1] + "\n"
    (work / "full.treaty").write_text(body)
    (work / "over.treaty").write_text(body + "\n")
    assert os.path.getsize(work / "full.treaty") == MAX_SOURCE_BYTES
    run = cli("check", "full.treaty", "over.treaty")
    assert f"over.treaty:1:1: error[E0010]: file is too large ({MAX_SOURCE_BYTES + 1} bytes" in run.err
    assert "full.treaty" not in run.err  # read, and only comments: no error


# ---- lint's source texts are inputs too ----


@pytest.fixture
def cited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "t.txt").write_text("source: a test\ntitle: a test text, VERBATIM\n\nArticle 1\nhello world\n")
    (tmp_path / "m.treaty").write_text(
        'instrument T "T" source "sources/t.txt"\ndomain P = {A}\ninput x by A\n'
        'obligation n cite T article 1 quote "hello" bearer A to x\nclaim c: obliged(A, x) expect holds\n'
    )
    return tmp_path


@pytest.mark.parametrize("output", ["sources/t.txt", "sources/digests.txt"])
def test_lint_refuses_an_output_over_a_source_text_or_its_digests(output: str, cited: Path, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("lint", "m.treaty", "--record-digests").code == 0
    before = {p.name: p.read_bytes() for p in (cited / "sources").iterdir()}
    run = cli("lint", "m.treaty", "--output", output)
    assert run.code == 2
    assert run.err == f"treaty: --output {output} is {output}, which this run reads: refusing to overwrite it\n"
    assert {p.name: p.read_bytes() for p in (cited / "sources").iterdir()} == before


@pytest.mark.parametrize("kind", ["pipe", "device"])
def test_a_source_text_that_is_not_a_regular_file_is_l013(kind: str, cited: Path, cli, deadline) -> None:  # type: ignore[no-untyped-def]
    (cited / "sources" / "t.txt").unlink()
    if kind == "pipe":
        os.mkfifo(cited / "sources" / "t.txt")
        what = "a named pipe"
    else:
        if not os.path.exists("/dev/zero"):
            pytest.skip("no /dev/zero here")
        (cited / "sources" / "t.txt").symlink_to("/dev/zero")
        what = "a character device"
    with deadline(60):
        run = cli("lint", "m.treaty")
    assert run.code == 1
    assert f"error[L013]: the source text of `T`, sources/t.txt: it is {what}, not a regular file" in run.out
