"""The base every stage stands on: diagnostics, URL scheme, cache files, safe text, time bounds.

Nothing here imports another part of sitegen."""
