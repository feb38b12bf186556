"""Static files: whitenoise, without serving a folder that a development run never collects.

On a desk (`make run`, no DATABASE_URL) or with DEBUG the files are found in `static/` by Django's finders, and
`staticfiles/` exists only after a `collectstatic`; whitenoise warned "No directory at: …/staticfiles/" at every
start. In production (collected files, finders off) the folder is required and its absence still warns.
"""

from pathlib import Path

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def add_files(self, root, prefix=None):
        if self.use_finders and root == self.static_root and not Path(root).is_dir():
            return
        super().add_files(root, prefix)
