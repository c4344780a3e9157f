"""Pure content core: articles, benefit points, hashtags, rendering and per-platform compilation.

Nothing in this package touches the network, a database, the clock or the environment;
callers pass in text, paths and times.
"""
