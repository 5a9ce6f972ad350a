"""HTTP plumbing shared by the API functions: the resolver with the contract's error
shape, the caller's identity, and the types request models share."""
