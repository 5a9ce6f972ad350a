"""The firm's directory: accounts, email fields, contacts and their addresses, CSV
import, and links between accounts and contacts."""
