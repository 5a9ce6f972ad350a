"""Limits every capability applies before it acts: throttles per caller and address, and
the firm's sending rule (who it may email, how many a day)."""
