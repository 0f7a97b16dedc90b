"""Verdicts in the background: a saved spec's claims checked in a worker process, cancelled by an edit."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Verdicts:
    """The results of the last check of one document (at `version`), as they came in."""

    version: int | None
    results: list[dict[str, object]] = field(default_factory=list)
    state: str = "running"  # running | done | cancelled | failed
    error: str | None = None


class CheckRunner:
    def __init__(self, on_update: Callable[[str], None], timeout_s: float = 10.0, memory_mb: int = 4096) -> None:
        self.on_update = on_update
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.verdicts: dict[str, Verdicts] = {}
        self.processes: dict[str, asyncio.subprocess.Process] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self.started = 0
        self.cancelled = 0

    def start(self, uri: str, path: str, version: int | None) -> None:
        self.cancel(uri)
        self.verdicts[uri] = Verdicts(version)
        task = asyncio.get_running_loop().create_task(self._run(uri, path, self.verdicts[uri]))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def cancel(self, uri: str) -> bool:
        """End the check of `uri` if one is running; its partial results are kept, marked cancelled."""
        record = self.verdicts.get(uri)
        was_running = record is not None and record.state == "running"
        if record is not None and was_running:
            record.state = "cancelled"
            self.cancelled += 1
        proc = self.processes.pop(uri, None)
        if proc is not None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
        return was_running

    def running(self, uri: str) -> bool:
        record = self.verdicts.get(uri)
        return record is not None and record.state == "running"

    async def shutdown(self) -> None:
        for uri in list(self.processes):
            self.cancel(uri)
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=5)

    async def _run(self, uri: str, path: str, record: Verdicts) -> None:
        self.started += 1
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "solver.lsp.worker",
            path,
            str(self.timeout_s),
            str(self.memory_mb),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        if record.state != "running":  # cancelled while the process was starting
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
            return
        self.processes[uri] = proc
        assert proc.stdout is not None
        async for raw in proc.stdout:
            try:
                item = json.loads(raw)
            except ValueError:
                continue
            if record.state != "running":
                break
            if "error" in item:
                record.error = str(item["error"])
            else:
                record.results.append(item)
                self.on_update(uri)
        code = await proc.wait()
        if self.processes.get(uri) is proc:
            del self.processes[uri]
        if record.state == "running":
            record.state = "done" if code == 0 else "failed"
        self.on_update(uri)
