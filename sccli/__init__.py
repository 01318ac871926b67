"""sc: the command line for SoundCloud."""

__version__ = "0.1.0"
