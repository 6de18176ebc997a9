"""`python -m reconciler` runs the CLI."""

from reconciler.cli.main import main

if __name__ == "__main__":
    main()
