"""The shared package of the CRM client-access backend (deployed as a Lambda layer)."""
