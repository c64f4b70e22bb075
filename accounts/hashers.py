"""The password hasher new and upgraded passwords use (PASSWORD_HASHERS in hub/settings/base.py)."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OWASPArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with the OWASP Password Storage Cheat Sheet's first configuration: 19 MiB of
    memory, 2 passes, 1 lane.

    Django's defaults (100 MiB, 2 passes, 8 lanes) cost some 350 ms of CPU a hash on the 2-core
    host, about what the 1,000,000-iteration PBKDF2 before them cost, and a sign-in holds a
    gunicorn worker for all of it; these cost about 45 ms. One lane: a lane is a thread, and two
    cores shared with the other workers run no more of them at once. The algorithm name stays
    "argon2", so hashes made with Django's defaults still verify here (argon2 reads the
    parameters from the hash) and are rewritten with these on the next sign-in."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
