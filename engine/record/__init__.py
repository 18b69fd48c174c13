"""The decision register: every recorded run, kept for good, replayable, and checked for changes."""
