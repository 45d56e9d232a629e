"""Ruby InSpec profiles."""
