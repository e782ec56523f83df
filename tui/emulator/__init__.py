"""A local Hugging Face Hub emulator for Spaces: the offline demo and the ground of the tests.

It imports nothing from the rest of `tui`: a fake that shared the client's parsers would agree
with the client's mistakes.
"""
