"""The trust fund: donors, their contributions and the ledger every figure is summed from."""
