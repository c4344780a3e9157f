"""A publish run split over processes (SCHEDULER_PROCESSES): the due channels dealt into groups, one forked process
per group after the imports, each with its own interpreter lock, store connection and HTTP session, their reports
merged into the parent's. The store's claims and leases keep every promise across processes, as they do between a
cron run and the daemon. Runner decides when to split (Runner._processes); this module only does it."""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING, Callable

from scheduler.errors import SchedulerError

if TYPE_CHECKING:
    from scheduler.runner import Runner, _Run  # the posts in a report are Posts (scheduler.store)

log = logging.getLogger("scheduler.runner")


def run_forked(runner: Runner, run: _Run, channels: list[str], processes: int) -> bool:
    """The due channels split over ``processes`` processes: this one and forked children, each with a group of
    channels, its share of the workers, and a connection and HTTP session of its own; their reports are merged
    into ``run``'s. A stop reaches the children through a pipe (and so does this process's end, however it
    ends): each finishes its post in flight and takes no more. An error in any process is raised here once every
    process has finished. False, having done nothing, when the store cannot be opened by another process."""
    import pickle
    import zlib

    runner._preload(channels)  # imported once, before the fork, rather than in every child
    order = {channel: index for index, channel in enumerate(channels)}

    def group_of(channel: str) -> int:  # due now: dealt round the groups; due later: by a stable hash
        return order[channel] % processes if channel in order else zlib.crc32(channel.encode()) % processes

    owner = list(range(processes))  # group -> the process (0: this one) that publishes it
    workers = -(-runner.settings.workers // processes)
    if not runner.store.detach():
        return False
    parent = os.getpid()
    children: list[_Child] = []
    try:
        for group in range(1, processes):
            reports, stops = os.pipe(), os.pipe()
            try:
                pid = os.fork()
            except OSError as error:  # no more processes: this one takes the groups left
                for fd in (*reports, *stops):
                    os.close(fd)
                log.warning("could not start a publishing process (%s): this one takes its channels", error)
                owner[group:] = [0] * (processes - group)
                break
            if pid == 0:
                for fd in (reports[0], stops[1], *(fd for child in children for fd in (child.reports, child.stop))):
                    os.close(fd)  # the parent's ends, and its other children's: EOF must mean the parent ended
                _child(runner, reports[1], stops[0], [c for c in channels if group_of(c) == group],
                       lambda channel, group=group: group_of(channel) == group, workers)
            os.close(reports[1])
            os.close(stops[0])
            children.append(_Child(pid, reports[0], stops[1]))
    finally:
        if os.getpid() == parent:
            runner.store.reopen()
    log.info("%d due channels over %d processes, %d workers each", len(channels), len(children) + 1, workers)
    ended = threading.Event()
    threading.Thread(target=_pass_stop_on, args=(runner, children, ended), name="publish-stop", daemon=True).start()
    errors: list[BaseException] = []
    try:
        mine = [c for c in channels if owner[group_of(c)] == 0]
        runner._run_pool(run, mine, lambda channel: owner[group_of(channel)] == 0, workers)
    except BaseException as error:
        errors.append(error)
        _tell_stop(children)  # as in one process: the others finish their post in flight and take no more
    finally:
        try:
            for child in children:
                touched, error = child.report(pickle)
                for post in touched:
                    run.add(post)
                if error is not None:
                    errors.append(error)
        finally:
            ended.set()
            for child in children:
                os.close(child.stop)
    if errors:
        raise errors[0]
    return True

def _child(runner: Runner, reports: int, stops: int, channels: list[str], mine: Callable[[str], bool],
           workers: int) -> None:
    """A forked process: publish its group of channels, send the posts it touched (or its error) to the parent
    over ``reports``, and exit without the parent's clean-up (its files, its atexit). A byte on ``stops``, or its
    end (the parent ended, even killed), is a stop."""
    import pickle

    status = 0
    try:
        threading.Thread(target=_stop_when_told, args=(stops, runner.stop), name="publish-stop", daemon=True).start()
        runner.store.reopen()
        from scheduler.runner import _Run  # at run time: runner imports this module lazily, never at import

        run = _Run(None)
        try:
            runner._run_pool(run, channels, mine, workers)
        finally:
            runner.store.close()
        report: tuple = ("ok", run.report.touched)
    except BaseException as error:  # noqa: BLE001 - whatever it is, the parent raises it
        status = 1
        report = ("error", type(error).__name__, str(error), _pickled(error, pickle))
    try:
        with os.fdopen(reports, "wb") as out:
            pickle.dump(report, out, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001
        status = 2
    os._exit(status)

def _pass_stop_on(runner: Runner, children: list[_Child], ended: threading.Event) -> None:
    """Until the run ends: once ``stop`` is set (a signal), pass it on to the children."""
    while not ended.is_set():
        if runner.stop.wait(0.05):
            _tell_stop(children)
            return


class _Child:
    """A forked publishing process: its pid, the pipe it reports on, the pipe it is told to stop on."""

    def __init__(self, pid: int, reports: int, stop: int) -> None:
        self.pid, self.reports, self.stop = pid, reports, stop

    def report(self, pickle) -> tuple[list, BaseException | None]:
        """Its posts and error, once it has ended (its exit status waited for)."""
        with os.fdopen(self.reports, "rb") as source:
            data = source.read()
        _, status = os.waitpid(self.pid, 0)
        try:
            report = pickle.loads(data)
        except Exception:  # noqa: BLE001 - nothing, or half a report: the process died
            return [], SchedulerError(f"a publishing process (pid {self.pid}) ended without its report "
                                      f"({_exit_status(status)}): its posts in flight are taken over once their lease "
                                      "runs out")
        if report[0] == "ok":
            return report[1], None
        _, kind, message, data = report
        if data is not None:
            return [], pickle.loads(data)
        return [], SchedulerError(f"in a publishing process: {kind}: {message}")


def _tell_stop(children: list[_Child]) -> None:
    for child in children:
        try:
            os.write(child.stop, b"s")
        except OSError:
            pass  # it has ended already


def _stop_when_told(stops: int, stop: threading.Event) -> None:
    """In a forked child: a byte from the parent, or the end of the pipe (the parent ended), sets ``stop``."""
    try:
        os.read(stops, 1)
    except OSError:
        pass
    stop.set()


def _exit_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.WEXITSTATUS(status) if os.WIFEXITED(status) else status}"


def _pickled(error: BaseException, pickle) -> bytes | None:
    try:
        data = pickle.dumps(error)
        pickle.loads(data)  # some exceptions pickle but cannot be rebuilt (a required argument not in .args)
        return data
    except Exception:  # noqa: BLE001
        return None
