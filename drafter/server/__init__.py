"""The warm command server (`drafter nen`), as Mercurial's chg is for hg.

    client.py   the `drafter` console script: while a server runs, hands it the
                command (argv, cwd, environment, umask, fds 0-2) before importing
                anything heavy, and exits with the command's status; otherwise, or
                when anything about the server is off, runs the command itself.
                Standard library only (socket, os, sys, json, array, signal).
    daemon.py   the server: every drafter module imported, the built-in templates
                compiled, then one forked child per command, which becomes a fresh
                process of the client's (cwd, environment, umask, stdio, signals).
    control.py  start, stop and ask about the server (`drafter nen bat|tat`, `drafter nen`).

The server is only ever an acceleration: the same output, files and exit code as the
command run on its own (tests/test_server.py).
"""
