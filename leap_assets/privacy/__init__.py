"""Privacy rights (governance.md): requests, the ledger, erasure, restriction, rectification, opt-outs."""
