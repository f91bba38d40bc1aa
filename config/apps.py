from django.contrib.staticfiles.apps import StaticFilesConfig


class GuifanStaticFilesConfig(StaticFilesConfig):
    """collectstatic without the `node_modules` folders some packages ship.

    django-viewflow 2.4's wheel carries, beside the fonts its templates use
    (viewflow/fonts/roboto/roboto-fontface.css next to its .woff files), a copy of
    the npm packages they were built from (viewflow/fonts/*/node_modules/...). Those
    copies are referenced by nothing, and roboto-fontface's CSS there points at
    fonts the wheel does not include, so the manifest storage's post-processing
    fails on them and production has no manifest at all: every page is a 500.

    Leaving `node_modules` out, rather than letting the storage tolerate missing
    url() targets, keeps post-processing strict: a broken reference in a file that
    is served (ours or a package's) still fails collectstatic, and so fails
    tests/test_production_static.py before it reaches a server.
    """

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "node_modules"]
