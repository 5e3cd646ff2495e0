"""``python -m bot.cli``: the same as the ``coach`` command."""

from bot.cli import main

if __name__ == "__main__":  # pragma: no cover - not when imported (tests walk every module)
    raise SystemExit(main())
