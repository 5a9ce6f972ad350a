"""Data access shared by every capability: the one DynamoDB table, its item kinds, and
the translation of DynamoDB errors into domain errors. Nothing above the data layer
imports pynamodb."""
