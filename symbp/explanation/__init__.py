"""What explain and gradient derive: the records every format prints."""
