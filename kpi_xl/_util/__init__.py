"""Private helpers: file names, atomic writes, cell text, progress."""
