"""Everything with I/O: configuration, the queue, cadence, publishers, the runner, daemon and CLI."""

__version__ = "0.1.0"
