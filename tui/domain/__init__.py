"""Everything that talks to the Hub, reads files or checks config. Never imports textual or rich."""
