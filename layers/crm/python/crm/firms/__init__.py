"""Firms, their staff (roles and rights), staff sign-in and firm settings."""
