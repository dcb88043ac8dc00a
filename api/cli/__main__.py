"""`python -m api.cli`: the same command as the `casescan` script."""

from api.cli import app

app()
