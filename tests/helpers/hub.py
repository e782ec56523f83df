"""The emulator's test accounts and speed, shared by every area's integration tests."""

from __future__ import annotations

ALICE = "alice"
ALICE_TOKEN = "hf_alice_test_token"
BOB = "bob"
BOB_TOKEN = "hf_bob_test_token"
#: Simulated durations run 50x faster in tests, so a whole build takes about a second.
TEST_SPEED = 50.0
